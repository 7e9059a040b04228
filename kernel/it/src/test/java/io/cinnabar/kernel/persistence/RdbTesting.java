package io.cinnabar.kernel.persistence;

import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Small helpers of the persistence tests: INFO fields, waiting for a background save, redis-check-rdb. */
final class RdbTesting {
    private RdbTesting() {
    }

    /** A field of an INFO reply (the raw RESP text), or null. */
    static String info(RespClient c, String section, String field) {
        String raw = c.call("INFO", section);
        for (String line : raw.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    /** Polls (with a deadline) until no background save runs. */
    static void awaitNoBgsave(RespClient c) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!"0".equals(info(c, "persistence", "rdb_bgsave_in_progress"))) {
            if (System.currentTimeMillis() > deadline) {
                fail("background save still running after 60 s");
            }
            Thread.onSpinWait();
            pause();
        }
    }

    /** Polls until {@code field} of INFO persistence has {@code value}. */
    static void awaitInfo(RespClient c, String field, String value) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!value.equals(info(c, "persistence", field))) {
            if (System.currentTimeMillis() > deadline) {
                fail(field + " never became " + value);
            }
            pause();
        }
    }

    /** A short back-off between polls (polling, not synchronisation by sleeping). */
    static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs redis-check-rdb (next to the reference redis-server); its output, or fails when it rejects the file. */
    static String checkRdb(Path file) throws IOException, InterruptedException {
        String server = ReferenceRedis.binary();
        Path check = Path.of(server).resolveSibling("redis-check-rdb");
        Process p = new ProcessBuilder(check.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !out.contains("RDB looks OK")) {
            fail("redis-check-rdb rejects " + file + ":\n" + out);
        }
        return out;
    }
}
