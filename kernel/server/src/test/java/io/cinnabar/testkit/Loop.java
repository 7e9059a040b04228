package io.cinnabar.testkit;

import io.cinnabar.kernel.net.ClientConnection;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs test code on a server's execution thread (the only thread that may touch its state) and waits for it. */
public final class Loop {
    private Loop() {
    }

    public static <T> T call(TestServer server, Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        server.server().execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("task on the execution thread failed", e);
        }
    }

    public static void run(TestServer server, Runnable task) {
        call(server, () -> {
            task.run();
            return null;
        });
    }

    /**
     * Switches the most recently connected client to RESP3 directly (for tests of RESP3 reply shapes that
     * must not depend on HELLO). The client must have completed one command, so it is registered.
     */
    public static void useResp3(TestServer server) {
        run(server, () -> server.server().clients().all().stream().max(Comparator.comparingLong(ClientConnection::id))
                .orElseThrow().setProtocol(3));
    }
}
