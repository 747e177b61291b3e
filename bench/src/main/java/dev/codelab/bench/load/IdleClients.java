package dev.codelab.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client side of {@link IdleSockets}, run as its own process so that the bench's process holds only the
 * server side of every socket (its RSS is then the stack's) and each side has its own open-files limit.
 * Arguments: {@code <ws-base-url> <count> <opening-budget-seconds>}, the access token on the first line of stdin.
 * Prints {@code opened <n> <failed> <seconds>} once done opening, then holds the sockets until stdin says
 * {@code count}, answers {@code held <n>}, and closes them all when stdin ends. Its sockets only open and idle,
 * thousands at once in a JVM of their own, so they are bare JDK WebSockets rather than the tests' {@code WsClient}.
 */
public final class IdleClients {

    private static final int OPENING_CONCURRENCY = 64;

    private IdleClients() {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int wanted = Integer.parseInt(args[1]);
        long budget = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String access = commands.readLine();

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<WebSocket> sockets = new ConcurrentLinkedQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.incrementAndGet();
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.incrementAndGet();
            }
        };
        Semaphore permits = new Semaphore(OPENING_CONCURRENCY);
        long start = System.nanoTime();
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < wanted && System.nanoTime() - start < budget; i++) {
            permits.acquire();
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    sockets.add(http.newWebSocketBuilder()
                            .header("Authorization", "Bearer " + access)
                            .buildAsync(URI.create(base + "idle-" + UUID.randomUUID()), listener)
                            .get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    permits.release();
                }
            }));
        }
        for (Thread opener : openers) {
            opener.join();
        }
        System.out.printf("opened %d %d %.3f%n", sockets.size(), failed.get(), (System.nanoTime() - start) / 1e9);
        System.out.flush();
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            if (line.equals("count")) {
                System.out.println("held " + (sockets.size() - closed.get()));
                System.out.flush();
            }
        }
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
        }
        Thread.sleep(1000);
    }
}
