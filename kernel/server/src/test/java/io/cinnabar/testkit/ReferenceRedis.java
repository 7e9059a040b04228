package io.cinnabar.testkit;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference redis-server for differential tests, started on a free port for a test class.
 * Which binary: {@code $CINNABAR_REFERENCE_REDIS}, else Redis 7.2.6 in {@code ../shared/redis-7.2/}
 * (looked up from the working directory upwards), else {@code redis-server} on the PATH.
 */
public final class ReferenceRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private ReferenceRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The binary to use, or null when none exists. */
    public static String binary() {
        String env = System.getenv("CINNABAR_REFERENCE_REDIS");
        if (env != null && new File(env).canExecute()) {
            return env;
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path cand = p.resolve("shared/redis-7.2/redis-server");
            if (Files.isExecutable(cand)) {
                return cand.toString();
            }
            Path sib = p.resolveSibling("shared").resolve("redis-7.2/redis-server");
            if (Files.isExecutable(sib)) {
                return sib.toString();
            }
            p = p.getParent();
        }
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path cand = Path.of(dirName, "redis-server");
            if (Files.isExecutable(cand)) {
                return cand.toString();
            }
        }
        return null;
    }

    /** The matching redis-cli (same folder as the server, else on the PATH), or null. */
    public static String cli() {
        String server = binary();
        if (server != null) {
            Path cand = Path.of(server).resolveSibling("redis-cli");
            if (Files.isExecutable(cand)) {
                return cand.toString();
            }
        }
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path cand = Path.of(dirName, "redis-cli");
            if (Files.isExecutable(cand)) {
                return cand.toString();
            }
        }
        return null;
    }

    /** Starts the reference server; the test is skipped (with the reason) when no redis-server exists. */
    public static ReferenceRedis start(String... extraOptions) {
        return startWithConfig(null, extraOptions);
    }

    /** The "v=" version that {@code redis-server --version} prints, or "unknown". */
    public static String version(String bin) {
        try {
            Process p = new ProcessBuilder(bin, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)").matcher(out);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static boolean atLeast72(String version) {
        String[] v = version.split("\\.");
        if (v.length < 2) {
            return false;
        }
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        return major > 7 || (major == 7 && minor >= 2);
    }

    /** Like {@link #start} with a config file given first on the command line (CONFIG REWRITE tests). */
    public static ReferenceRedis startWithConfig(Path configFile, String... extraOptions) {
        String bin = binary();
        Assumptions.assumeTrue(bin != null,
                "no reference redis-server: set CINNABAR_REFERENCE_REDIS or install redis-server");
        String version = version(bin);
        // replies are compared byte for byte with Redis 7.2; an older reference (Debian's 7.0) differs in
        // documented ways (double formatting, encodings, new subcommands), so it cannot be the judge
        Assumptions.assumeTrue(atLeast72(version), "reference redis-server " + version + " at " + bin
                + " is older than 7.2: point CINNABAR_REFERENCE_REDIS at a Redis 7.2 build");
        try {
            Path dir = Files.createTempDirectory("refredis");
            int port = TestServer.freePort();
            List<String> cmd = new ArrayList<>(List.of(bin));
            if (configFile != null) {
                cmd.add(configFile.toString());
            }
            cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                    "--enable-debug-command", "yes"));
            cmd.addAll(List.of(extraOptions));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new ReferenceRedis(p, port, dir);
                } catch (IOException e) {
                    Thread.onSpinWait();
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("reference redis-server did not start on port " + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's {@code dir} (a fresh temporary directory): where its dump.rdb goes. */
    public Path dir() {
        return dir;
    }

    public RespClient client() {
        return new RespClient("127.0.0.1", port);
    }

    /** SIGKILL, as a crash: no shutdown save, no last word to cluster peers. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
