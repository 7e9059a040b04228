package io.cinnabar.kernel.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real server process in the middle of a write load: every write whose reply a client received
 * is there after the restart (the AOF is written before replies leave, and with appendfsync always fsynced
 * too), and a torn last command is cut off when the server starts again.
 */
class AofCrashTest {
    private static final int WRITERS = 3;
    private static final long LOAD_MILLIS = 1500;

    /** A server process and the port it listens on. */
    private record Server(Process process, int port) {
    }

    private static Server start(Path dir, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), AofServerProcess.class.getName(),
                "dir", dir.toString(), "save", "", "appendonly", "yes"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Server(p, Integer.parseInt(line.substring(5).trim()));
            }
            out.append(line).append('\n');
        }
        throw new IllegalStateException("server process exited before listening:\n" + out);
    }

    private static void kill9(Server s) throws InterruptedException {
        s.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no final fsync
        assertTrue(s.process().waitFor(10, TimeUnit.SECONDS));
    }

    private static void stop(Server s) throws InterruptedException {
        s.process().destroy();
        s.process().waitFor(10, TimeUnit.SECONDS);
    }

    /** Writers RPUSH increasing numbers to a list each until the server dies; returns each one's last acknowledged. */
    private static long[] loadUntilKilled(Server s) throws Exception {
        long[] acked = new long[WRITERS];
        AtomicLong total = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try (RespClient c = new RespClient("127.0.0.1", s.port())) {
                    for (long i = 1; ; i++) {
                        String reply = c.call("RPUSH", "w" + id, Long.toString(i));
                        if (!reply.equals(":" + i + "\r\n")) {
                            return;
                        }
                        acked[id] = i;
                        total.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // the connection died with the server
                }
            });
            t.start();
            threads.add(t);
        }
        long deadline = System.currentTimeMillis() + LOAD_MILLIS;
        while (System.currentTimeMillis() < deadline || total.get() < 100) {
            Thread.sleep(10);
            if (System.currentTimeMillis() > deadline + 10_000) {
                break;
            }
        }
        kill9(s);
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertTrue(total.get() >= 100, "the load ran: " + total.get() + " writes");
        return acked;
    }

    private static void assertNothingAcknowledgedLost(Server s, long[] acked) {
        try (RespClient c = new RespClient("127.0.0.1", s.port())) {
            for (int w = 0; w < WRITERS; w++) {
                String len = c.call("LLEN", "w" + w);
                long n = Long.parseLong(len.substring(1).trim());
                assertTrue(n >= acked[w], "writer " + w + ": " + acked[w] + " acknowledged, " + n + " after restart");
                // no hole: the list is 1..n in order
                assertEquals("$" + Long.toString(n).length() + "\r\n" + n + "\r\n", c.call("LINDEX", "w" + w, "-1"));
            }
        }
    }

    private void crashAndRecover(String fsync) throws Exception {
        Path dir = Files.createTempDirectory("aofcrash");
        Server s = start(dir, "appendfsync", fsync);
        long[] acked = loadUntilKilled(s);
        Server again = start(dir, "appendfsync", fsync);
        try {
            assertNothingAcknowledgedLost(again, acked);
        } finally {
            stop(again);
        }
    }

    @Test
    void killDuringWritesWithAppendfsyncAlwaysLosesNoAcknowledgedWrite() throws Exception {
        crashAndRecover("always");
    }

    @Test
    void killDuringWritesWithAppendfsyncEverysecLosesNoAcknowledgedWriteOfTheProcess() throws Exception {
        // a process crash leaves what was written in the page cache: everysec bounds only an OS crash's loss
        crashAndRecover("everysec");
    }

    @Test
    void tornTailAfterACrashIsRepairedAtStart() throws Exception {
        Path dir = Files.createTempDirectory("aofcrash");
        Server s = start(dir, "appendfsync", "always");
        long[] acked = loadUntilKilled(s);
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        long before = Files.size(incr);
        // the half-written command a crash in the middle of write() leaves behind
        Files.write(incr, "*3\r\n$5\r\nRPUSH\r\n$2\r\nw0\r\n$7\r\n99".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        Server again = start(dir, "appendfsync", "always");
        try {
            assertNothingAcknowledgedLost(again, acked);
            assertEquals(before, Files.size(incr), "the torn command was cut off");
        } finally {
            stop(again);
        }
        AofTest.checkAof(dir.resolve("appendonlydir/appendonly.aof.manifest"));
    }
}
