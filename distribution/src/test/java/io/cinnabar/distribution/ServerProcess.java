package io.cinnabar.distribution;

import static org.junit.jupiter.api.Assertions.fail;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/cinnabar-server} of an unpacked tarball running as a real process, its output in a log file.
 * Started with {@link #start}, which waits (with a deadline) until the port answers PING.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private ServerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Runs the script from {@code workDir} with {@code args} (conf file first, if any) and returns the process. */
    static Process launch(Path home, Path workDir, Path log, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/cinnabar-server").toString());
        cmd.addAll(args);
        return launch(cmd, workDir, log);
    }

    private static Process launch(List<String> cmd, Path workDir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a free port ({@code --port} is added after {@code args}) and waits until it serves. */
    static ServerProcess start(Path home, Path workDir, Path log, String... args) {
        int port = TestServer.freePort();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--port");
        all.add(Integer.toString(port));
        all.add("--save");
        all.add("");
        Process p = launch(home, workDir, log, all);
        ServerProcess s = new ServerProcess(p, log, port);
        s.awaitPong();
        return s;
    }

    /** Starts a server on {@code port} with exactly {@code args} (no defaults added) and waits until it serves. */
    static ServerProcess startOn(int port, Path home, Path workDir, Path log, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--port");
        all.add(Integer.toString(port));
        ServerProcess s = new ServerProcess(launch(home, workDir, log, all), log, port);
        s.awaitPong();
        return s;
    }

    /**
     * Starts another server binary (the reference redis-server) on {@code port}: {@code command} is the binary and
     * its arguments, {@code --port} is added; waits until it serves.
     */
    static ServerProcess startCommandOn(int port, List<String> command, Path workDir, Path log) {
        List<String> all = new ArrayList<>(command);
        all.add("--port");
        all.add(Integer.toString(port));
        ServerProcess s = new ServerProcess(launch(all, workDir, log), log, port);
        s.awaitPong();
        return s;
    }

    private void awaitPong() {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                probe.close();
                try (RespClient c = client()) {
                    if (c.call("PING").equals("+PONG\r\n")) {
                        return;
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        fail("the server did not answer PING within 30 s:\n" + log());
    }

    int port() {
        return port;
    }

    RespClient client() {
        return new RespClient("127.0.0.1", port);
    }

    /** Everything the server wrote so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL, as kill -9: no shutdown hook runs. */
    void kill() {
        try {
            process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
