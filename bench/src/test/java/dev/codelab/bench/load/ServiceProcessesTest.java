package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The service JVMs of the bench run as compose's images do. */
class ServiceProcessesTest {

    /** A service's build line in compose: {@code args: { SERVICE: gateway, JVM_OPTIONS: "-Xmn32m ..." } }. */
    private static final Pattern BUILD_ARGS =
            Pattern.compile("args: \\{ SERVICE: (\\w+)(?:, JVM_OPTIONS: \"([^\"]*)\")? }");

    @Test
    void theServiceJvmsGetWhatComposeBuildsTheImagesWith() throws IOException {
        String compose = Files.readString(Path.of("..", "compose", "docker-compose.yml"));
        Map<String, String> built = new TreeMap<>();
        Set<String> services = new TreeSet<>();
        Matcher service = BUILD_ARGS.matcher(compose);
        while (service.find()) {
            services.add(service.group(1));
            if (service.group(2) != null) {
                built.put(service.group(1), service.group(2));
            }
        }
        assertThat(services, is(Set.copyOf(ServiceProcesses.SERVICES)));
        assertThat(built, is(Map.of("gateway", ServiceProcesses.GATEWAY_JVM_OPTIONS)));
    }
}
