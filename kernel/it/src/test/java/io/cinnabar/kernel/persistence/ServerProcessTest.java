package io.cinnabar.kernel.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cinnabar-server as a real process: SIGTERM saves when save points exist (as Redis's default
 * shutdown-on-sigterm) and the next start loads the file; a corrupt file makes the process exit with an error
 * naming the offset instead of serving partial data.
 */
class ServerProcessTest {
    private static Process launch(Path dir, String... extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.cinnabar.kernel.Main"));
        cmd.addAll(List.of("--dir", dir.toString(), "--bind", "127.0.0.1", "--plugins-dir", dir.resolve("none").toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    }

    private static void awaitPort(int port, Process p) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                RdbTesting.pause();
            }
        }
        throw new IllegalStateException("server did not start");
    }

    @Test
    void sigtermSavesWhenSavePointsExistAndTheNextStartLoads() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-proc");
        int port = TestServer.freePort();
        Process p = launch(dir, "--port", Integer.toString(port), "--save", "3600 1",
                "--enable-debug-command", "yes");
        try {
            awaitPort(port, p);
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                // a kernel-only process (no plugins): DEBUG POPULATE makes the string keys
                assertEquals("+OK\r\n", c.call("DEBUG", "POPULATE", "100"));
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process exits");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertTrue(Files.exists(dir.resolve("dump.rdb")), log);
        assertTrue(RdbTesting.checkRdb(dir.resolve("dump.rdb")).contains("100 keys read"));
        int port2 = TestServer.freePort();
        Process again = launch(dir, "--port", Integer.toString(port2));
        try {
            awaitPort(port2, again);
            try (RespClient c = new RespClient("127.0.0.1", port2)) {
                String size = c.call("DBSIZE");
                while (size.startsWith("-LOADING")) { // the port is open while the file loads
                    RdbTesting.pause();
                    size = c.call("DBSIZE");
                }
                assertEquals(":100\r\n", size);
            }
        } finally {
            again.destroyForcibly();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCorruptFileMakesTheProcessExitWithTheReason() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-proc-corrupt");
        Files.write(dir.resolve("dump.rdb"), "REDIS0011\u00fe\u0000\u0063garbage".getBytes(StandardCharsets.ISO_8859_1));
        Process p = launch(dir, "--port", Integer.toString(TestServer.freePort()));
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process exits instead of serving");
            assertEquals(1, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertTrue(log.contains("Unknown RDB encoding type 99") && log.contains("offset 12"), log);
        assertTrue(log.contains("Fatal error loading the DB"), log);
    }
}
