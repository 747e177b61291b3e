package dev.codelab.bench;

import io.helidon.logging.jul.HelidonFormatter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One access-log line of {@code RequestLog}, formatted by the services' console formatter (Helidon's, with their
 * {@code logging.properties} format) into a stream that discards it: with the source given ({@code logp}, as
 * {@code RequestLog} logs) against without it ({@link System.Logger}, as it logged before), where the formatter
 * finds the caller by walking the stack.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessLogBenchmark {

    private static final String LINE = "POST /v1/chat/completions 200 0ms rid=9decb6e8-9698-42b9-a000-27384be5497f";

    private Logger julLogger;
    private System.Logger systemLogger;
    private StreamHandler handler;

    @Setup
    public void setUp() throws IOException {
        String config = """
                java.util.logging.SimpleFormatter.format=%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s %5$s%6$s%n
                .level=INFO
                """;
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)));
        handler = new StreamHandler(OutputStream.nullOutputStream(), new HelidonFormatter());
        julLogger = Logger.getLogger("codelab.bench.access");
        julLogger.setUseParentHandlers(false);
        julLogger.addHandler(handler);
        systemLogger = System.getLogger("codelab.bench.access");
    }

    @TearDown
    public void tearDown() {
        julLogger.removeHandler(handler);
    }

    @Benchmark
    public void sourceGiven() {
        julLogger.logp(Level.INFO, AccessLogBenchmark.class.getName(), "sourceGiven", () -> LINE);
    }

    @Benchmark
    public void sourceInferred() {
        systemLogger.log(System.Logger.Level.INFO, () -> LINE);
    }
}
