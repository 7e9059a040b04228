package io.cinnabar.kernel.persistence;

import static io.cinnabar.kernel.persistence.RdbTesting.awaitNoBgsave;
import static io.cinnabar.kernel.persistence.RdbTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The forkless BGSAVE: the file equals the keyspace at the moment BGSAVE replied, whatever the writes during
 * the save (overwrites, in-place edits, deletes, new keys, expiry changes, RENAME, MOVE, FLUSHDB, SWAPDB);
 * and the writers' latency with and without a save running (printed, not asserted).
 */
class SnapshotTest {
    private static TestServer start(Path dir, String... options) {
        TestServer.Builder b = AllPlugins.builder().option("dir", dir.toString()).option("save", "")
                .option("enable-debug-command", "yes");
        for (int i = 0; i + 1 < options.length; i += 2) {
            b.option(options[i], options[i + 1]);
        }
        return b.start();
    }

    /** The digest of the file in {@code dir}, loaded by a fresh server. */
    private static String digestOfFileIn(Path dir) throws Exception {
        Path copy = Files.createTempDirectory("cinnabar-snapcheck");
        Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        try (TestServer s = start(copy); RespClient c = s.client()) {
            return c.call("DEBUG", "DIGEST");
        }
    }

    @Test
    void bgsaveWritesTheKeyspaceAsItWasWhenItStarted() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-snap");
        try (TestServer s = start(dir); RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "20000", "key", "10");
            for (int i = 0; i < 500; i++) {
                c.call("EXPIRE", "key:" + i, "1000000");
                c.call("APPEND", "key:" + (1000 + i), "-raw");
            }
            c.call("SELECT", "1");
            for (int i = 0; i < 300; i++) {
                c.call("RPUSH", "list:" + i, "a", "b", "c", Integer.toString(i));
            }
            c.call("RATELIMIT.HIT", "limiter", "100", "1000000000");
            for (int db = 2; db <= 4; db++) {
                c.call("SELECT", Integer.toString(db));
                c.call("DEBUG", "POPULATE", "2000", "db" + db, "5");
            }
            c.call("SELECT", "0");
            String before = c.call("DEBUG", "DIGEST");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "20"); // microseconds a key: the save takes a while
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            int ops = writeWhileSaving(c, new Random(11));
            awaitNoBgsave(c);
            assertEquals("ok", info(c, "persistence", "rdb_last_bgsave_status"));
            assertTrue(ops > 0, "writes ran during the save");
            System.out.println("snapshot consistency: " + ops + " write commands ran during the BGSAVE");
            assertTrue(!before.equals(c.call("DEBUG", "DIGEST")), "the writes changed the dataset");
            assertEquals(before, digestOfFileIn(dir));
        }
    }

    @Test
    void perSlotTablesOfClusterModeAreWalkedAsWell() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-snapslots");
        try (TestServer s = start(dir, "cluster-enabled", "yes", "cluster-config-file", dir.resolve("nodes.conf").toString());
             RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "20000", "key", "10");
            String before = c.call("DEBUG", "DIGEST");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "20");
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            Random rnd = new Random(5);
            int ops = 0;
            while ("1".equals(info(c, "persistence", "rdb_bgsave_in_progress"))) {
                for (int i = 0; i < 50; i++) {
                    int k = rnd.nextInt(20000);
                    switch (rnd.nextInt(4)) {
                        case 0 -> c.call("DEBUG", "POPULATE", "1", "fresh" + ops + ":", "3");
                        case 1 -> c.call("DEL", "key:" + k);
                        case 2 -> c.call("EXPIRE", "key:" + k, "5000000");
                        default -> c.call("SET", "key:" + k, "new");
                    }
                    ops++;
                }
            }
            assertEquals("ok", info(c, "persistence", "rdb_last_bgsave_status"));
            assertTrue(ops > 0);
            Path copy = Files.createTempDirectory("cinnabar-snapslots-check");
            Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"));
            try (TestServer t = start(copy, "cluster-enabled", "yes", "cluster-config-file",
                    copy.resolve("nodes.conf").toString()); RespClient d = t.client()) {
                assertEquals(before, d.call("DEBUG", "DIGEST"));
            }
        }
    }

    /** Mixed writes until the save ends; returns how many ran while it was in progress. */
    private static int writeWhileSaving(RespClient c, Random rnd) {
        int ops = 0;
        boolean flushed = false;
        boolean swapped = false;
        while (true) {
            for (int i = 0; i < 50; i++) {
                int k = rnd.nextInt(20000);
                switch (rnd.nextInt(12)) {
                    case 0 -> c.call("SET", "key:" + k, "new");
                    case 1 -> c.call("DEL", "key:" + k);
                    case 2 -> c.call("APPEND", "key:" + k, "+");
                    case 3 -> c.call("EXPIRE", "key:" + k, "5000000");
                    case 4 -> c.call("PERSIST", "key:" + k);
                    case 5 -> c.call("SET", "fresh:" + ops, "v");
                    case 6 -> c.call("RENAME", "key:" + k, "key:" + rnd.nextInt(20000));
                    case 7 -> c.call("MOVE", "key:" + k, "5");
                    case 8 -> c.call("INCR", "key:" + k);
                    case 9 -> {
                        c.call("SELECT", "1");
                        int l = rnd.nextInt(300);
                        c.call(rnd.nextBoolean() ? "LPUSH" : "RPOP", "list:" + l, "x");
                        if (rnd.nextInt(10) == 0) {
                            c.call("DEL", "list:" + l);
                        }
                        c.call("SELECT", "0");
                    }
                    case 10 -> c.call("RATELIMIT.HIT", "limiter", "100", "1000000000");
                    default -> {
                        c.call("SELECT", "2");
                        c.call("SET", "db2:" + rnd.nextInt(2000), "changed");
                        c.call("SELECT", "0");
                    }
                }
                ops++;
            }
            if (ops > 2000 && !flushed) {
                c.call("SELECT", "2");
                c.call("FLUSHDB");
                c.call("SET", "after-flush", "1");
                c.call("SELECT", "0");
                flushed = true;
            }
            if (ops > 4000 && !swapped) {
                c.call("SWAPDB", "3", "4");
                c.call("SELECT", "3");
                c.call("SET", "db4:1", "changed-after-swap");
                c.call("DEL", "db4:2");
                c.call("SELECT", "4");
                c.call("SET", "db3:1", "changed-after-swap");
                c.call("SELECT", "0");
                swapped = true;
            }
            if ("0".equals(info(c, "persistence", "rdb_bgsave_in_progress"))) {
                return ops;
            }
        }
    }

    @Test
    void oneMillionKeysUnderConcurrentWritersAndTheirLatency() throws Exception {
        Path dir = Files.createTempDirectory("cinnabar-snap1m");
        try (TestServer s = start(dir); RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "1000000", "key", "16");
            // warm up the writer path, then measure without a save
            measure(s, 20000, null);
            long[] quiet = measure(s, 50000, null);
            String before = c.call("DEBUG", "DIGEST");
            long start = System.nanoTime();
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            AtomicBoolean saving = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                try (RespClient w = s.client()) {
                    awaitNoBgsave(w);
                }
                saving.set(false);
            });
            watcher.start();
            long[] during = measure(s, Integer.MAX_VALUE, saving);
            watcher.join();
            long saveMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("ok", info(c, "persistence", "rdb_last_bgsave_status"));
            System.out.printf("forkless BGSAVE of 1M keys: %d ms; writer SET latency (us) without save: p50=%d p99=%d "
                    + "max=%d over %d ops; during save: p50=%d p99=%d max=%d over %d ops%n", saveMillis,
                    quiet[0], quiet[1], quiet[2], quiet[3], during[0], during[1], during[2], during[3]);
            assertEquals(before, digestOfFileIn(dir));
        }
    }

    @Test
    void referenceRedisForkBasedBgsaveLatencyForComparison() throws Exception {
        try (io.cinnabar.testkit.ReferenceRedis redis = io.cinnabar.testkit.ReferenceRedis.start();
             RespClient c = redis.client()) {
            c.call("DEBUG", "POPULATE", "1000000", "key", "16");
            java.util.function.Supplier<RespClient> clients = redis::client;
            measure(clients, 20000, null);
            long[] quiet = measure(clients, 50000, null);
            long start = System.nanoTime();
            assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
            AtomicBoolean saving = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                try (RespClient w = redis.client()) {
                    awaitNoBgsave(w);
                }
                saving.set(false);
            });
            watcher.start();
            long[] during = measure(clients, Integer.MAX_VALUE, saving);
            watcher.join();
            System.out.printf("redis-server 7.2 fork BGSAVE of 1M keys: %d ms; writer SET latency (us) without save: "
                    + "p50=%d p99=%d max=%d over %d ops; during save: p50=%d p99=%d max=%d over %d ops%n",
                    (System.nanoTime() - start) / 1_000_000, quiet[0], quiet[1], quiet[2], quiet[3], during[0],
                    during[1], during[2], during[3]);
        }
    }

    private static long[] measure(TestServer s, int n, AtomicBoolean until) {
        return measure(s::client, n, until);
    }

    /**
     * One writer connection doing SET on random existing keys (so the snapshot has to preserve them): {@code n}
     * ops, or while {@code until} holds. Returns p50, p99, max latency in microseconds and the op count.
     */
    private static long[] measure(java.util.function.Supplier<RespClient> connect, int n, AtomicBoolean until) {
        List<Long> lat = new ArrayList<>();
        Random rnd = new Random(3);
        try (RespClient w = connect.get()) {
            for (int i = 0; i < n && (until == null || until.get()); i++) {
                String key = "key:" + rnd.nextInt(1_000_000);
                long t0 = System.nanoTime();
                w.call("SET", key, "v" + i);
                lat.add((System.nanoTime() - t0) / 1000);
            }
        }
        long[] a = lat.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        if (a.length == 0) {
            return new long[] {0, 0, 0, 0};
        }
        return new long[] {a[a.length / 2], a[(int) (a.length * 0.99)], a[a.length - 1], a.length};
    }
}
