package io.cinnabar.kernel.diagnostics;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DEBUG DIGEST and DIGEST-VALUE equal redis-server's for every core type, in each of its encodings. */
class DebugDigestTest {
    private static ReferenceRedis redis;
    private static TestServer server;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.start();
        server = AllPlugins.builder().option("save", "").option("enable-debug-command", "yes").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static void fill(Differential d, String key, String verb, int n, boolean pairs, String prefix) {
        List<String> cmd = new ArrayList<>(List.of(verb, key));
        for (int i = 0; i < n; i++) {
            if (verb.equals("ZADD")) {
                cmd.add(i % 3 == 0 ? Integer.toString(i) : i % 3 == 1 ? (i + 0.25) + "" : (-i / 7.0) + "");
            }
            cmd.add(prefix + i);
            if (pairs) {
                cmd.add("value" + (i * 31 % 17));
            }
        }
        d.cmd(cmd.toArray(String[]::new));
    }

    @Test
    void digestsEqualRedisForEveryTypeAndEncoding() {
        try (RespClient ref = redis.client(); RespClient cand = server.client()) {
            Differential d = new Differential(ref, cand);
            d.run("FLUSHALL", "SET str hello", "SET int 12345", "SET ttl x EX 1000", "RPUSH emptyish a");
            fill(d, "smalllist", "RPUSH", 5, false, "e");
            fill(d, "biglist", "RPUSH", 300, false, "element-");
            fill(d, "intset", "SADD", 20, false, "");
            fill(d, "smallset", "SADD", 20, false, "m");
            fill(d, "bigset", "SADD", 300, false, "member-");
            fill(d, "smallzset", "ZADD", 20, false, "m");
            fill(d, "bigzset", "ZADD", 300, false, "member-");
            fill(d, "smallhash", "HSET", 10, true, "f");
            fill(d, "bighash", "HSET", 300, true, "field-");
            d.run("ZADD special inf a -inf b 0 c 1e300 d 3.141592653589793 e", "EXPIRE bighash 1000",
                    "SELECT 1", "SADD other x y z", "SELECT 0");
            for (String key : List.of("str", "int", "ttl", "emptyish", "smalllist", "biglist", "intset", "smallset",
                    "bigset", "smallzset", "bigzset", "smallhash", "bighash", "special", "missing")) {
                d.cmd("DEBUG", "DIGEST-VALUE", key);
                d.cmd("OBJECT", "ENCODING", key);
            }
            d.cmd("DEBUG", "DIGEST");
            d.assertSame();
        }
    }
}
