package io.cinnabar.kernel.replication;

import static io.cinnabar.kernel.replication.ReplicationTesting.await;
import static io.cinnabar.kernel.replication.ReplicationTesting.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.kernel.persistence.DatasetDump;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Replication with Debian's Redis 7.0 ({@code /usr/bin/redis-server}, the version many users migrate from):
 * a 7.0 replica follows a Cinnabar master that writes RDB 10 ({@code rdb-version 10}, the newest 7.0 reads),
 * and Cinnabar follows a 7.0 master, each through the full sync and then the command stream, with values of
 * every type in both their small (listpack, intset) and big (quicklist of several nodes, hashtable, skiplist)
 * encodings, expiries and several databases. Function libraries travel through Cinnabar unchanged (7.0
 * master, Cinnabar in the middle, 7.0 leaf). Contents are compared key by key.
 */
class Redis70InteropTest {
    private static final String REDIS_70 = "/usr/bin/redis-server";

    /** A real Redis 7.0 process on a free port with its own directory, killed on close. */
    private static final class Redis70 implements AutoCloseable {
        final Process process;
        final int port;

        Redis70(String... extra) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(REDIS_70)), "no Redis 7.0 at " + REDIS_70);
            try {
                Path dir = Files.createTempDirectory("redis70");
                port = TestServer.freePort();
                List<String> cmd = new ArrayList<>(List.of(REDIS_70, "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                        "--daemonize", "no", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0"));
                cmd.addAll(List.of(extra));
                process = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            await("redis-server 7.0 to listen", () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        RespClient client() {
            return new RespClient("127.0.0.1", port);
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static TestServer cinnabar() {
        return cinnabar("yes");
    }

    /** A Cinnabar writing RDB 10, its full syncs diskless ({@code yes}) or through its RDB file ({@code no}). */
    private static TestServer cinnabar(String disklessSync) {
        return AllPlugins.builder().option("rdb-version", "10").option("repl-diskless-sync-delay", "0")
                .option("repl-diskless-sync", disklessSync).start();
    }

    private static void awaitLinkUp(RespClient replica) {
        await("the link to the master", () -> "up".equals(info(replica, "master_link_status")));
    }

    private static void awaitSameData(RespClient master, RespClient replica) {
        await("the replica to hold the master's data",
                () -> DatasetDump.of(master, 16).equals(DatasetDump.of(replica, 16)));
        assertEquals(DatasetDump.of(master, 16), DatasetDump.of(replica, 16));
    }

    private static void ok(RespClient c, String... args) {
        String r = c.call(args);
        assertTrue(!r.startsWith("-"), String.join(" ", args) + " -> " + r);
    }

    /** Every type in its small and its big encoding, expiries, two databases; {@code p} prefixes the keys. */
    private static void populate(RespClient c, String p) {
        ok(c, "SET", p + "int", "12345");
        ok(c, "SET", p + "str", "hello");
        ok(c, "SET", p + "raw", "r".repeat(200));
        ok(c, "SET", p + "ttl", "v", "PX", "900000");
        ok(c, "RPUSH", p + "list:small", "a", "b", "1", "-2", "x".repeat(70));
        ok(c, "SADD", p + "set:int", "1", "2", "3", "-40000", "9223372036854775807");
        ok(c, "SADD", p + "set:str", "x", "y", "zz");
        ok(c, "HSET", p + "hash:small", "f1", "v1", "f2", "2", "f3", "-3.5");
        ok(c, "ZADD", p + "zset:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d");
        ok(c, "PFADD", p + "hll", "a", "b", "c");
        List<String> list = new ArrayList<>(List.of("RPUSH", p + "list:big"));
        List<String> ints = new ArrayList<>(List.of("SADD", p + "set:big-int"));
        List<String> strs = new ArrayList<>(List.of("SADD", p + "set:big-str"));
        List<String> hash = new ArrayList<>(List.of("HSET", p + "hash:big"));
        List<String> zset = new ArrayList<>(List.of("ZADD", p + "zset:big"));
        for (int i = 0; i < 1500; i++) {
            list.add("element-" + i + "-" + "l".repeat(i % 40)); // several 8 KB quicklist nodes
            ints.add(Integer.toString(i * 7 - 3000));            // past set-max-intset-entries
            strs.add("member-" + i);                            // past set-max-listpack-entries
            hash.add("field-" + i);
            hash.add("value-" + i);
            zset.add(Double.toString(i * 0.5));
            zset.add("m-" + i);
        }
        ok(c, list.toArray(new String[0]));
        ok(c, ints.toArray(new String[0]));
        ok(c, strs.toArray(new String[0]));
        ok(c, hash.toArray(new String[0]));
        ok(c, zset.toArray(new String[0]));
        ok(c, "HSET", p + "hash:long-value", "f", "v".repeat(100)); // past hash-max-listpack-value
        ok(c, "ZADD", p + "zset:long-member", "1", "m".repeat(100));
        ok(c, "EXPIRE", p + "hash:big", "100000");
        ok(c, "SELECT", "7");
        ok(c, "SET", p + "in7", "seven");
        ok(c, "RPUSH", p + "list7", "1", "2");
        ok(c, "SELECT", "0");
    }

    /** Commands on every type after the full sync: they reach the replica through the stream. */
    private static void mutate(RespClient c, String p) {
        ok(c, "APPEND", p + "str", " world");
        ok(c, "INCRBY", p + "int", "10");
        ok(c, "INCRBYFLOAT", p + "float", "1.5");
        ok(c, "LPUSH", p + "list:small", "head");
        ok(c, "LTRIM", p + "list:big", "5", "-5");
        ok(c, "LSET", p + "list:big", "3", "changed");
        ok(c, "SREM", p + "set:int", "2");
        ok(c, "SADD", p + "set:str", "new");
        ok(c, "SMOVE", p + "set:big-str", p + "set:str", "member-7");
        ok(c, "HINCRBY", p + "hash:small", "f2", "5");
        ok(c, "HDEL", p + "hash:big", "field-3");
        ok(c, "HINCRBYFLOAT", p + "hash:big", "float-field", "0.25");
        ok(c, "ZINCRBY", p + "zset:small", "2", "a");
        ok(c, "ZREM", p + "zset:big", "m-10");
        ok(c, "ZUNIONSTORE", p + "zset:union", "2", p + "zset:small", p + "zset:big");
        ok(c, "SINTERSTORE", p + "set:inter", p + "set:big-int", p + "set:int");
        ok(c, "PFADD", p + "hll", "d", "e");
        ok(c, "SET", p + "ex", "v", "EX", "1000");
        ok(c, "PERSIST", p + "hash:big");
        ok(c, "DEL", p + "raw");
        ok(c, "RENAME", p + "zset:long-member", p + "zset:renamed");
        ok(c, "SELECT", "3");
        ok(c, "SET", p + "in3", "three");
        ok(c, "MULTI");
        ok(c, "INCR", p + "counter");
        ok(c, "RPUSH", p + "list3", "x");
        ok(c, "EXEC");
        ok(c, "SELECT", "0");
    }

    @Test
    void aRedis70ReplicaFollowsACinnabarMasterWritingRdb10() {
        followCinnabar(cinnabar("yes"), new Redis70());
    }

    @Test
    void aRedis70ReplicaFollowsACinnabarMasterThroughADiskBackedSync() {
        followCinnabar(cinnabar("no"), new Redis70());
    }

    @Test
    void aRedis70ReplicaLoadingFromTheSocketFollowsACinnabarMaster() {
        followCinnabar(cinnabar("yes"), new Redis70("--repl-diskless-load", "swapdb"));
    }

    private static void followCinnabar(TestServer cinnabarMaster, Redis70 redisReplica) {
        try (TestServer master = cinnabarMaster; Redis70 redis = redisReplica;
             RespClient m = master.client(); RespClient r = redis.client()) {
            populate(m, "");
            ok(r, "REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
            awaitLinkUp(r);
            awaitSameData(m, r);
            mutate(m, "");
            populate(m, "later:");
            awaitSameData(m, r);
            assertEquals(":1\r\n", m.call("WAIT", "1", "5000"));
            await("the offsets to meet", () -> info(m, "master_repl_offset").equals(info(r, "master_repl_offset")));
        }
    }

    @Test
    void cinnabarFollowsARedis70Master() {
        try (Redis70 redis = new Redis70(); TestServer replica = cinnabar();
             RespClient m = redis.client(); RespClient r = replica.client()) {
            populate(m, "");
            ok(r, "REPLICAOF", "127.0.0.1", Integer.toString(redis.port));
            awaitLinkUp(r);
            awaitSameData(m, r);
            mutate(m, "");
            populate(m, "later:");
            ok(m, "SET", "short", "v", "PX", "50"); // expires on the master, reaches the replica as a DEL
            // compared once it is gone: a dump within its 50 ms could see it in SCAN and as none in TYPE
            await("the short-lived key to expire on the master", () -> ":0\r\n".equals(m.call("EXISTS", "short")));
            awaitSameData(m, r);
            await("redis to see the ack", () -> ":1\r\n".equals(m.call("WAIT", "1", "100")));
            assertEquals(info(m, "master_replid"), info(r, "master_replid"));
            await("the offsets to meet", () -> info(m, "master_repl_offset").equals(info(r, "master_repl_offset")));
        }
    }

    @Test
    void functionLibrariesPassThroughACinnabarReplicaToARedis70Replica() {
        String library = "#!lua name=mylib\nredis.register_function{function_name='echo1', "
                + "callback=function(keys, args) return args[1] end, flags={'no-writes'}}";
        try (Redis70 root = new Redis70(); TestServer middle = cinnabar(); Redis70 leaf = new Redis70();
             RespClient m = root.client(); RespClient mid = middle.client(); RespClient l = leaf.client()) {
            assertEquals("$5\r\nmylib\r\n", m.call("FUNCTION", "LOAD", library));
            populate(m, "");
            ok(mid, "REPLICAOF", "127.0.0.1", Integer.toString(root.port));
            awaitLinkUp(mid);
            ok(l, "REPLICAOF", "127.0.0.1", Integer.toString(middle.port()));
            awaitLinkUp(l);
            awaitSameData(m, l);
            assertEquals(m.call("FUNCTION", "LIST", "WITHCODE"), l.call("FUNCTION", "LIST", "WITHCODE"));
            assertEquals("$5\r\nhello\r\n", l.call("FCALL_RO", "echo1", "0", "hello"));
            mutate(m, "");
            awaitSameData(m, l);
        }
    }
}
