package dev.codelab.bench.load;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** Closed-loop HTTP load: {@code concurrency} virtual threads send back to back for a fixed time. */
final class LoadLoop {

    private LoadLoop() {}

    /**
     * @param ok    answers with the expected status
     * @param other any other answer or a failure
     */
    record Outcome(long ok, long other, double seconds) {
        double rate() {
            return ok / seconds;
        }
    }

    static Outcome run(
            BenchStack bench, int concurrency, double seconds, int expectedStatus, Supplier<HttpRequest> request)
            throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder other = new LongAdder();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<Void> res = bench.http.send(request.get(), HttpResponse.BodyHandlers.discarding());
                        (res.statusCode() == expectedStatus ? ok : other).increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        other.increment();
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60) + (long) (seconds * 1000));
        }
        return new Outcome(ok.sum(), other.sum(), (System.nanoTime() - start) / 1e9);
    }
}
