package io.cinnabar.kernel.replication;

import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import java.time.Duration;
import java.util.function.Supplier;

/** What the replication tests share: polling with a deadline, and INFO fields. */
final class ReplicationTesting {
    private ReplicationTesting() {
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after 30 s. */
    static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** One field of an INFO section, or null when absent. */
    static String info(RespClient c, String section, String field) {
        String text = (String) Resp.parse(c.call("INFO", section));
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    /** One field of INFO replication. */
    static String info(RespClient c, String field) {
        return info(c, "replication", field);
    }
}
