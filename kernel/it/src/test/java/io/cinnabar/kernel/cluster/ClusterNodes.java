package io.cinnabar.kernel.cluster;

import io.cinnabar.datatypes.strings.StringsFamily;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Test clusters of either Cinnabar nodes (in this JVM) or real redis-server 7.2 processes, built with unmodified
 * {@code redis-cli --cluster}: the same scenario runs against both, so a Cinnabar run is judged against what a
 * correct Redis run looks like. Closing stops every node and deletes its directory.
 */
final class ClusterNodes implements AutoCloseable {
    /** One cluster node: its client port, a raw client, and a way to stop it. */
    interface Node extends AutoCloseable {
        int port();

        default String addr() {
            return "127.0.0.1:" + port();
        }

        default String call(String... args) {
            try (RespClient c = new RespClient("127.0.0.1", port())) {
                return c.call(args);
            }
        }

        default String id() {
            return call("CLUSTER", "MYID").split("\r\n")[1];
        }

        /** The cluster bus port (a redis-server's is not port + 10000 here). */
        int busPort();

        /** A crash (SIGKILL for a process); a Cinnabar node in this JVM shuts down, silent to its peers as well. */
        default void kill() {
            close();
        }

        /** A redis-server's log so far; "" for a Cinnabar node. */
        default String log() {
            return "";
        }

        @Override
        void close();
    }

    private final boolean reference;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    private ClusterNodes(boolean reference) {
        this.reference = reference;
    }

    static ClusterNodes cinnabar() {
        return new ClusterNodes(false);
    }

    /** Real redis-server nodes; the test is skipped when there is no Redis 7.2 binary. */
    static ClusterNodes redis() {
        Assumptions.assumeTrue(ReferenceRedis.binary() != null && ReferenceRedis.cli() != null, "no redis-server");
        return new ClusterNodes(true);
    }

    List<Node> nodes() {
        return nodes;
    }

    Node start() throws IOException {
        return start(reference);
    }

    /** A redis-server 7.2 node ({@code redis}) or a Cinnabar node, whatever kind this cluster was made for. */
    Node start(boolean redis) throws IOException {
        int port = TestServer.clusterPortPair();
        Node n;
        if (redis) {
            ReferenceRedis r = ReferenceRedis.start("--cluster-enabled", "yes", "--cluster-node-timeout", "1500",
                    "--cluster-port", Integer.toString(port + 10000));
            dirs.add(r.dir());
            n = new Node() {
                public int port() {
                    return r.port();
                }

                public int busPort() {
                    return port + 10000;
                }

                public void kill() {
                    r.kill();
                }

                public String log() {
                    return readLog(r.dir().resolve("redis.log"));
                }

                public void close() {
                    r.close();
                }
            };
        } else {
            Path dir = Files.createTempDirectory("cluster");
            dirs.add(dir);
            TestServer s = TestServer.builder().family(new StringsFamily())
                    .option("port", Integer.toString(port)).option("cluster-enabled", "yes")
                    .option("cluster-node-timeout", "1500").option("dir", dir.toString())
                    // as ReferenceRedis: redis-cli's fix compares duplicate keys with DEBUG DIGEST-VALUE
                    .option("enable-debug-command", "yes").start();
            n = new Node() {
                public int port() {
                    return s.port();
                }

                public int busPort() {
                    return port + 10000;
                }

                public void close() {
                    s.close();
                }
            };
        }
        nodes.add(n);
        return n;
    }

    /** The redis-server 7.0 to mix with: {@code $CINNABAR_REDIS70}, else Debian's {@code /usr/bin/redis-server}. */
    static String redis70Binary() {
        String env = System.getenv("CINNABAR_REDIS70");
        String bin = env != null && !env.isEmpty() ? env : "/usr/bin/redis-server";
        return Files.isExecutable(Path.of(bin)) && ReferenceRedis.version(bin).startsWith("7.0.") ? bin : null;
    }

    /** A redis-server 7.0 cluster node (a process of its own); the test is skipped when there is none. */
    Node startRedis70() throws IOException {
        String bin = redis70Binary();
        Assumptions.assumeTrue(bin != null, "no redis-server 7.0 (set CINNABAR_REDIS70)");
        int port = TestServer.clusterPortPair();
        Path dir = Files.createTempDirectory("redis70");
        dirs.add(dir);
        Path log = dir.resolve("redis.log");
        Process p = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--cluster-enabled", "yes",
                "--cluster-node-timeout", "1500").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Node n = new Node() {
            public int port() {
                return port;
            }

            public int busPort() {
                return port + 10000;
            }

            public void kill() {
                p.destroyForcibly();
                waitFor(p);
            }

            public String log() {
                return readLog(log);
            }

            public void close() {
                p.destroy();
                waitFor(p);
            }
        };
        nodes.add(n);
        await(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "redis-server 7.0 listening on " + port);
        return n;
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code redis-cli --cluster create} of n fresh masters, then waits until every node serves. */
    List<Node> createMasters(int n) throws Exception {
        return create(n, 0);
    }

    /**
     * {@code redis-cli --cluster create} of {@code masters} masters with {@code replicas} replicas each (the first
     * nodes started become the masters, in order), then waits until every node serves and every replica is in sync.
     * Returns the masters.
     */
    List<Node> create(int masters, int replicas) throws Exception {
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        for (int i = 0; i < masters * (replicas + 1); i++) {
            args.add(start().addr());
        }
        if (replicas > 0) {
            args.addAll(List.of("--cluster-replicas", Integer.toString(replicas)));
        }
        args.add("--cluster-yes");
        String out = cli(args.toArray(String[]::new));
        if (!out.contains("[OK] All 16384 slots covered.")) {
            throw new AssertionError(out);
        }
        await(() -> nodes.stream().allMatch(s -> s.call("CLUSTER", "INFO").contains("cluster_state:ok")),
                "cluster_state:ok everywhere");
        await(() -> nodes.subList(masters, nodes.size()).stream()
                .allMatch(s -> s.call("INFO", "replication").contains("master_link_status:up")), "replicas in sync");
        return new ArrayList<>(nodes.subList(0, masters));
    }

    /** The replicas, each with the node it replicates. */
    java.util.Map<Node, Node> replicaToMaster() {
        java.util.Map<String, Node> byId = new java.util.HashMap<>();
        for (Node n : nodes) {
            byId.put(n.id(), n);
        }
        java.util.Map<Node, Node> out = new java.util.LinkedHashMap<>();
        for (Node n : nodes) {
            for (String line : n.call("CLUSTER", "NODES").split("\n")) {
                String[] f = line.split(" ");
                if (f.length > 3 && f[2].contains("myself") && f[2].contains("slave")) {
                    out.put(n, byId.get(f[3]));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.close();
        }
        for (Path d : dirs) {
            try (Stream<Path> files = Files.walk(d)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }
    }

    /** Runs redis-cli with the arguments; its whole output (stdout and stderr). */
    static String cli(String... args) throws IOException, InterruptedException {
        return cliAnswering("", args);
    }

    /** Like {@link #cli}, typing the answer to the prompts that --cluster-yes does not cover. */
    static String cliAnswering(String answer, String... args) throws IOException, InterruptedException {
        String bin = ReferenceRedis.cli();
        Assumptions.assumeTrue(bin != null, "no redis-cli");
        List<String> cmd = new ArrayList<>(List.of(bin));
        cmd.addAll(List.of(args));
        // into a file: a reshard prints more than a pipe holds, and nobody reads the pipe while we wait
        Path out = Files.createTempFile("redis-cli", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("redis-cli " + String.join(" ", args) + " did not finish: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static String cliQuiet(String... args) {
        try {
            return cli(args);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls the condition (every 20 ms) until it holds; fails after 30 seconds. */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
