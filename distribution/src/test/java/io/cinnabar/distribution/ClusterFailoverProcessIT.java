package io.cinnabar.distribution;

import static io.cinnabar.distribution.ProcessTesting.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.cluster.KeySlot;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover of a cluster of real processes of the built tarball: clients write to a master with
 * {@code WAIT 1} after every write while it is killed with SIGKILL; its replica is elected in its place and
 * holds every write whose WAIT returned 1, and {@code redis-cli --cluster check} finds all slots covered.
 */
class ClusterFailoverProcessIT {
    private static final int WRITERS = 4;
    private static final int KEYS_PER_WRITER = 250;
    private static Path home;
    private static Path work;

    @BeforeAll
    static void unpack() throws Exception {
        home = ProcessTesting.unpack("-cluster");
        work = home.getParent();
    }

    private final List<ServerProcess> processes = new ArrayList<>();

    private ServerProcess node(Path run, String name) throws IOException {
        Path dir = run.resolve(name);
        Files.createDirectories(dir);
        ServerProcess p = ServerProcess.startOn(TestServer.clusterPortPair(), home, dir, run.resolve(name + ".log"), "--dir",
                dir.toString(), "--save", "", "--cluster-enabled", "yes", "--cluster-node-timeout", "1500");
        processes.add(p);
        return p;
    }

    @Test
    void replicaTakingOverAfterSigkillHoldsEveryWriteAcknowledgedByWait() throws Exception {
        Assumptions.assumeTrue(ReferenceRedis.cli() != null, "no redis-cli");
        Path run = Files.createTempDirectory(work, "failover");
        try {
            failoverUnderLoad(run);
        } finally {
            for (ServerProcess p : processes) {
                p.kill();
            }
            try (Stream<Path> files = Files.walk(run)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void failoverUnderLoad(Path run) throws Exception {
        ServerProcess victim = node(run, "m1");
        ServerProcess m2 = node(run, "m2");
        ServerProcess m3 = node(run, "m3");
        ServerProcess replica = node(run, "r1");
        String create = cli("--cluster", "create", addr(victim), addr(m2), addr(m3), "--cluster-yes");
        assertTrue(create.contains("[OK] All 16384 slots covered."), create);
        String victimId = id(victim);
        String add = cli("--cluster", "add-node", addr(replica), addr(victim), "--cluster-slave",
                "--cluster-master-id", victimId);
        assertTrue(add.contains("[OK] New node added correctly."), add);
        await("the replica to be in sync and every node to serve", () ->
                call(replica, "INFO", "replication").contains("master_link_status:up")
                        && Stream.of(victim, m2, m3, replica)
                                .allMatch(p -> call(p, "CLUSTER", "INFO").contains("cluster_state:ok")));

        // keys the victim owns (redis-cli gave the first node slots 0-5460): one writer per key, rounds 1, 2, 3...
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < WRITERS * KEYS_PER_WRITER; i++) {
            String k = "key:" + i;
            if (KeySlot.slot(k.getBytes(StandardCharsets.UTF_8)) <= 5460) {
                keys.add(k);
            }
        }
        long[] acked = new long[keys.size()];
        AtomicLong acknowledged = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread[] writers = new Thread[WRITERS];
        for (int w = 0; w < WRITERS; w++) {
            int mine = w;
            writers[w] = new Thread(() -> {
                try (RespClient c = victim.client()) {
                    for (long round = 1; ; round++) {
                        for (int i = mine; i < keys.size(); i += WRITERS) {
                            String set = c.call("SET", keys.get(i), Long.toString(round));
                            if (!set.equals("+OK\r\n")) {
                                failures.add("SET " + keys.get(i) + ": " + set);
                                return;
                            }
                            if (c.call("WAIT", "1", "2000").equals(":1\r\n")) {
                                acked[i] = round;
                                acknowledged.incrementAndGet();
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    // the master is gone (connection reset or closed)
                }
            }, "writer-" + w);
            writers[w].start();
        }
        await("writes acknowledged by the replica", () -> acknowledged.get() > 3000 || !failures.isEmpty());
        victim.kill();
        for (Thread t : writers) {
            t.join(30_000);
        }
        assertEquals(List.of(), List.copyOf(failures));

        await("the replica to be elected and the cluster to serve again", () ->
                call(replica, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself,master"))
                        && Stream.of(m2, m3, replica)
                                .allMatch(p -> call(p, "CLUSTER", "INFO").contains("cluster_state:ok")));
        List<String> lost = new ArrayList<>();
        try (RespClient c = replica.client()) {
            for (int i = 0; i < keys.size(); i++) {
                if (acked[i] == 0) {
                    continue;
                }
                String reply = c.call("GET", keys.get(i));
                // a write after the last acknowledged one may have reached the replica too
                String[] lines = reply.split("\r\n");
                if (!lines[0].startsWith("$") || lines[0].equals("$-1") || Long.parseLong(lines[1]) < acked[i]) {
                    lost.add(keys.get(i) + " acknowledged at " + acked[i] + ", read " + reply.trim());
                }
            }
        }
        assertEquals(List.of(), lost, "writes acknowledged by WAIT 1 and lost");
        String check = cli("--cluster", "check", addr(m2));
        assertTrue(check.contains("[OK] All 16384 slots covered."), check);
    }

    private static String addr(ServerProcess p) {
        return "127.0.0.1:" + p.port();
    }

    private static String call(ServerProcess p, String... args) {
        try (RespClient c = p.client()) {
            return c.call(args);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String id(ServerProcess p) {
        return call(p, "CLUSTER", "MYID").split("\r\n")[1];
    }

    private static String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ReferenceRedis.cli()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "redis-cli", ".out");
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
}
