package dev.codelab.devstack;

import java.util.ArrayList;
import java.util.List;

/**
 * What a stack of services started, closed in reverse order; one failing close does not stop the others.
 */
public final class ResourceStack {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String name;

    /** @param name how failures while closing are labelled on stderr */
    public ResourceStack(String name) {
        this.name = name;
    }

    public void add(AutoCloseable resource) {
        resources.add(resource);
    }

    /** Adds {@code resource} so that it is closed right after {@code existing}. */
    public void addClosedAfter(AutoCloseable existing, AutoCloseable resource) {
        int index = resources.indexOf(existing);
        if (index < 0) {
            throw new IllegalArgumentException("Not in this stack: " + existing);
        }
        resources.add(index, resource);
    }

    public void closeAll() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println(name + ": while stopping: " + e.getMessage());
            }
        }
        resources.clear();
    }
}
