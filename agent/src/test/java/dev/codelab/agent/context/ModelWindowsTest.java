package dev.codelab.agent.context;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelWindowsTest {

    private final Deque<Optional<JsonNode>> answers = new ArrayDeque<>();
    private int reads;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private ModelWindows windows() {
        return new ModelWindows(
                () -> {
                    reads++;
                    return answers.isEmpty() ? Optional.empty() : answers.poll();
                },
                Duration.ofMinutes(5),
                new Clock() {
                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now;
                    }
                });
    }

    private static Optional<JsonNode> list(String json) {
        try {
            return Optional.of(Json.read(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNamedModelOrTheProxysDefaultHasTheWindowTheListReports() {
        answers.add(list("""
                {"object":"list","default_model":"gpt-4o","data":[
                 {"id":"gpt-4o","context_window":128000,"max_output_tokens":16384},
                 {"id":"claude-sonnet-4","context_window":200000,"max_output_tokens":64000}]}"""));
        ModelWindows windows = windows();

        assertThat(windows.of(Optional.empty()), is(new ModelWindow("gpt-4o", 128_000, 16_384)));
        assertThat(windows.of(Optional.of("claude-sonnet-4")), is(new ModelWindow("claude-sonnet-4", 200_000, 64_000)));
        assertThat(windows.of(Optional.of("ollama/llama3.2")), is(new ModelWindow("ollama/llama3.2", 32_000, 4_096)));
        assertThat(reads, is(1));
    }

    @Test
    void theListIsReadAgainAfterTheRefreshTimeAndAFailedReadKeepsTheLastOne() {
        answers.add(list("""
                {"default_model":"m","data":[{"id":"m","context_window":1000}]}\
                """));
        answers.add(Optional.empty());
        answers.add(list("""
                {"default_model":"m","data":[{"id":"m","context_window":2000}]}\
                """));
        ModelWindows windows = windows();

        assertThat(windows.of(Optional.empty()).contextWindow(), is(1000));
        now = now.plus(Duration.ofMinutes(4));
        assertThat(windows.of(Optional.empty()).contextWindow(), is(1000));
        assertThat(reads, is(1));
        now = now.plus(Duration.ofMinutes(1));
        assertThat(windows.of(Optional.empty()).contextWindow(), is(1000));
        assertThat(reads, is(2));
        now = now.plus(Duration.ofMinutes(5));
        assertThat(windows.of(Optional.empty()), is(new ModelWindow("m", 2000, 4096)));
        assertThat(reads, is(3));
    }

    @Test
    void beforeAnyListTheOldFixedWindowIsAssumed() {
        assertThat(windows().of(Optional.of("x")), is(new ModelWindow("x", 32_000, 4_096)));
    }
}
