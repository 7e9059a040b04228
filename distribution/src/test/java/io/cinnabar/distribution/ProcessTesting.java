package io.cinnabar.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the process tests share: a tarball unpacked for one test class, and polling for a condition. */
final class ProcessTesting {
    private ProcessTesting() {
    }

    /** Unpacks the built tarball into {@code <cinnabar.itDir><suffix>}; returns its cinnabar-0.1.0 folder. */
    static Path unpack(String suffix) throws Exception {
        Path tarball = Path.of(System.getProperty("cinnabar.tarball"));
        Path work = Path.of(System.getProperty("cinnabar.itDir") + suffix);
        Files.createDirectories(work);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", work.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS));
        return work.resolve("cinnabar-0.1.0");
    }

    /** Polls {@code condition} every 20 ms for up to 30 s; fails naming {@code what}. */
    static void await(String what, Supplier<Boolean> condition) {
        await(what, Duration.ofSeconds(30), condition);
    }

    /** Polls {@code condition} every 20 ms for up to {@code within}; fails naming {@code what}. */
    static void await(String what, Duration within, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + within.toNanos();
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
}
