package io.cinnabar.distribution;

import static io.cinnabar.distribution.ProcessTesting.await;

import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A cluster of real server processes on loopback, all of one kind: the tarball's {@code bin/cinnabar-server}, or
 * the reference redis-server 7.2 as the yardstick. It is built with unmodified {@code redis-cli --cluster create};
 * each node keeps its port and directory (so its nodes.conf) across a SIGKILL and a restart. Closing kills every
 * node and deletes the directories.
 */
final class ClusterProcesses implements AutoCloseable {
    /** One node; {@link #restart} starts it again on the same port from the same directory. */
    final class Node {
        private final String name;
        private final int port;
        private final Path dir;
        private ServerProcess process;
        private int starts;
        private Path log;
        private String id;

        private Node(String name, int port, Path dir) {
            this.name = name;
            this.port = port;
            this.dir = dir;
        }

        private void start() {
            starts++;
            List<String> args = new ArrayList<>(List.of("--dir", dir.toString(), "--save", "", "--appendonly", "no",
                    "--cluster-enabled", "yes", "--cluster-node-timeout", Long.toString(nodeTimeout),
                    "--enable-debug-command", "yes",
                    // a replica's full sync starts at once (the default waits 5 s for more replicas to join it)
                    "--repl-diskless-sync-delay", "0"));
            log = run.resolve(name + "-" + starts + ".log");
            if (home != null) {
                process = ServerProcess.startOn(port, home, dir, log, args.toArray(String[]::new));
            } else {
                List<String> cmd = new ArrayList<>(List.of(ReferenceRedis.binary(), "--bind", "127.0.0.1",
                        "--daemonize", "no"));
                cmd.addAll(args);
                process = ServerProcess.startCommandOn(port, cmd, dir, log);
            }
        }

        /** SIGKILL: no shutdown, no last nodes.conf write. */
        void kill() {
            if (process != null) {
                process.kill();
            }
        }

        void restart() {
            start();
        }

        int port() {
            return port;
        }

        String addr() {
            return "127.0.0.1:" + port;
        }

        /** The raw RESP reply, or "" when the node does not answer. */
        String call(String... args) {
            try (RespClient c = new RespClient("127.0.0.1", port)) {
                return c.call(args);
            } catch (RuntimeException e) {
                return "";
            }
        }

        /** The node id (asked once: it stays in nodes.conf across restarts). */
        String id() {
            if (id == null) {
                id = call("CLUSTER", "MYID").split("\r\n")[1];
            }
            return id;
        }

        /** This node's CLUSTER NODES line about {@code node}, split into fields; empty if it has none. */
        Optional<String[]> viewOf(Node node) {
            String id = node.id();
            return clusterNodes().filter(f -> f[0].equals(id)).findFirst();
        }

        /** The lines of this node's CLUSTER NODES (none if it does not answer), each split into its fields. */
        Stream<String[]> clusterNodes() {
            return call("CLUSTER", "NODES").lines().map(l -> l.split(" ")).filter(f -> f.length >= 8);
        }

        /** The slots this node serves, from its own CLUSTER NODES line. */
        BitSet slots() {
            BitSet slots = new BitSet(16384);
            clusterNodes().filter(f -> f[2].startsWith("myself"))
                    .forEach(f -> {
                        for (int i = 8; i < f.length && !f[i].startsWith("["); i++) {
                            String[] range = f[i].split("-");
                            slots.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
                        }
                    });
            return slots;
        }

        /** Whether this node sees itself as a master (flags of its own CLUSTER NODES line). */
        boolean isMaster() {
            return clusterNodes().anyMatch(f -> f[2].equals("myself,master"));
        }

        /** Whether this node sees itself as a replica of {@code master}. */
        boolean replicates(Node master) {
            String masterId = master.id();
            return clusterNodes()
                    .anyMatch(f -> f[2].equals("myself,slave") && f[3].equals(masterId));
        }

        /** The log of its current run. */
        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public String toString() {
            return name + "@" + port;
        }
    }

    private final Path home;
    private final Path run;
    private final long nodeTimeout;
    private final List<Node> nodes = new ArrayList<>();

    private ClusterProcesses(Path home, Path run, long nodeTimeout) {
        this.home = home;
        this.run = run;
        this.nodeTimeout = nodeTimeout;
    }

    /** Nodes of the unpacked tarball at {@code home}; their directories and logs go under {@code run}. */
    static ClusterProcesses cinnabar(Path home, Path run, long nodeTimeout) {
        return new ClusterProcesses(home, run, nodeTimeout);
    }

    /** redis-server 7.2 nodes; the test is skipped when there is none. */
    static ClusterProcesses redis(Path run, long nodeTimeout) {
        String bin = ReferenceRedis.binary();
        Assumptions.assumeTrue(bin != null && ReferenceRedis.version(bin).startsWith("7.2."), "no redis-server 7.2");
        return new ClusterProcesses(null, run, nodeTimeout);
    }

    /**
     * {@code redis-cli --cluster create} of {@code masters} masters with one replica each, then waits until every
     * node serves and every replica is in sync. Returns all the nodes.
     */
    List<Node> createWithReplicas(int masters) throws Exception {
        Assumptions.assumeTrue(ReferenceRedis.cli() != null, "no redis-cli");
        List<String> args = new ArrayList<>(List.of("--cluster", "create"));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < masters * 2; i++) {
            int port = TestServer.clusterPortPair();
            if (!ports.add(port)) {
                i--; // free, but already picked for another node
                continue;
            }
            Path dir = run.resolve("n" + i);
            Files.createDirectories(dir);
            Node n = new Node("n" + i, port, dir);
            nodes.add(n);
            args.add(n.addr());
        }
        // the JVMs start side by side: most of their start-up is waiting, not computing
        List<Thread> starting = nodes.stream().map(n -> new Thread(n::start, "start-" + n)).toList();
        starting.forEach(Thread::start);
        for (Thread t : starting) {
            t.join();
        }
        for (Node n : nodes) {
            if (n.process == null) {
                throw new AssertionError(n + " did not start:\n" + n.log());
            }
        }
        args.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        String create = cli(args.toArray(String[]::new));
        if (!create.contains("[OK] All 16384 slots covered.")) {
            throw new AssertionError(create);
        }
        // and every node to know every replica as such: a master ignores the manual failover request (MFSTART)
        // of a node it does not know as its replica yet
        await("every node to serve, know every replica and every replica to be in sync", () -> nodes.stream()
                .allMatch(n -> n.call("CLUSTER", "INFO").contains("cluster_state:ok")
                        && n.clusterNodes().filter(f -> f[2].contains("slave")).count() == masters
                        && (n.isMaster() || n.call("INFO", "replication").contains("master_link_status:up"))));
        return nodes;
    }

    /** The master serving {@code slot}, as the first node sees it. */
    Node ownerOf(int slot) {
        for (String[] f : nodes.get(0).clusterNodes().toList()) {
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (!f[i].startsWith("[") && Integer.parseInt(range[0]) <= slot
                        && slot <= Integer.parseInt(range[range.length - 1])) {
                    return byId(f[0]);
                }
            }
        }
        throw new AssertionError("nobody serves slot " + slot);
    }

    /** The node that replicates {@code master}, as that node sees itself. */
    Node replicaOf(Node master) {
        return nodes.stream().filter(n -> n.replicates(master)).findFirst()
                .orElseThrow(() -> new AssertionError("no replica of " + master));
    }

    private Node byId(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + id));
    }

    /** Runs redis-cli with the arguments; its whole output (stdout and stderr). */
    String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ReferenceRedis.cli()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(run, "redis-cli", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("redis-cli " + String.join(" ", args) + " did not finish");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The last {@code lines} lines of every node's log (its current run), for a failure message. */
    String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            List<String> all = n.log().lines().toList();
            b.append("---- ").append(n).append(' ').append(n.id).append('\n');
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.kill();
        }
        try (Stream<Path> files = Files.walk(run)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a folder under target/
        }
    }
}
