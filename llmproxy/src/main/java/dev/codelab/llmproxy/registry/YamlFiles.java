package dev.codelab.llmproxy.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the proxy's YAML files (snake_case keys, unknown keys rejected) from a path or a built-in resource. */
public final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private YamlFiles() {}

    /** Reads {@code path} when present, else the classpath resource {@code resource}. */
    public static <T> T read(Optional<Path> path, String resource, Class<T> type) {
        String name = path.map(Path::toString).orElse("classpath:" + resource);
        try (InputStream in = path.isPresent()
                ? Files.newInputStream(path.get())
                : YamlFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing");
            }
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
