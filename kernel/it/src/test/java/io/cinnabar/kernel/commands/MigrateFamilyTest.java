package io.cinnabar.kernel.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cinnabar.kernel.persistence.AllPlugins;
import io.cinnabar.kernel.persistence.DatasetDump;
import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MIGRATE from redis-server and from Cinnabar, each to a redis-server target of its own, with the same
 * script: the replies are compared byte for byte, and so is what each target holds afterwards.
 */
class MigrateFamilyTest {
    private static List<String> script(RespClient source, int targetPort) {
        String p = Integer.toString(targetPort);
        String closed = Integer.toString(TestServer.freePort());
        String[][] steps = {
            {"SET", "a", "1"}, {"RPUSH", "l", "x", "y", "1"}, {"SET", "t", "v", "PX", "100000"},
            {"HSET", "h", "f", "v"}, {"SADD", "s", "1", "2"}, {"ZADD", "z", "1", "m"},
            {"MIGRATE", "127.0.0.1", p, "a", "0", "1000"}, {"EXISTS", "a"},
            {"MIGRATE", "127.0.0.1", p, "missing", "0", "1000"},
            {"MIGRATE", "127.0.0.1", p, "", "0", "1000", "KEYS", "l", "h", "nosuch", "s"},
            {"EXISTS", "l", "h", "s"},
            {"SET", "a", "2"}, {"MIGRATE", "127.0.0.1", p, "a", "0", "1000"}, {"EXISTS", "a"},
            {"MIGRATE", "127.0.0.1", p, "a", "0", "1000", "REPLACE"}, {"EXISTS", "a"},
            {"SET", "c", "3"}, {"MIGRATE", "127.0.0.1", p, "c", "0", "1000", "COPY"}, {"EXISTS", "c"},
            {"MIGRATE", "127.0.0.1", p, "t", "3", "1000"}, {"MIGRATE", "127.0.0.1", p, "z", "0", "0"},
            {"MIGRATE", "127.0.0.1", p, "k", "0", "1000", "KEYS", "x"},
            {"MIGRATE", "127.0.0.1", p, "c", "0", "1000", "AUTH"},
            {"MIGRATE", "127.0.0.1", p, "c", "0", "1000", "AUTH2", "u"},
            {"MIGRATE", "127.0.0.1", p, "c", "0", "1000", "BADOPT"},
            {"MIGRATE", "127.0.0.1", p, "c", "x", "1000"}, {"MIGRATE", "127.0.0.1", p, "c", "0", "y"},
            {"MIGRATE", "127.0.0.1", closed, "c", "0", "200"},
            {"MIGRATE", "127.0.0.1", p, "c", "0", "1000", "AUTH", "nopass"},
        };
        List<String> replies = new ArrayList<>();
        for (String[] step : steps) {
            replies.add(String.join(" ", step).replace(p, "<target>").replace(closed, "<closed>") + " -> "
                    + source.call(step));
        }
        return replies;
    }

    @Test
    void migrateMovesKeysAsRedisDoes() {
        try (ReferenceRedis redisSource = ReferenceRedis.start(); ReferenceRedis redisTarget = ReferenceRedis.start();
             ReferenceRedis ourTarget = ReferenceRedis.start(); TestServer ours = AllPlugins.builder().start();
             RespClient rs = redisSource.client(); RespClient os = ours.client();
             RespClient rt = redisTarget.client(); RespClient ot = ourTarget.client()) {
            List<String> want = script(rs, redisTarget.port());
            List<String> got = script(os, ourTarget.port());
            assertEquals(String.join("\n", want), String.join("\n", got));
            assertEquals(DatasetDump.of(rt, 16).replaceAll("expire=\\d+", "expire=T"),
                    DatasetDump.of(ot, 16).replaceAll("expire=\\d+", "expire=T"));
            assertEquals(DatasetDump.of(rs, 16), DatasetDump.of(os, 16));
        }
    }

    /** RESTORE-ASKING (what MIGRATE sends in cluster mode) restores like RESTORE, errors included. */
    @Test
    void restoreAskingRestoresLikeRestore() {
        try (ReferenceRedis redis = ReferenceRedis.start(); TestServer ours = AllPlugins.builder().start();
             RespClient r = redis.client(); RespClient c = ours.client()) {
            r.call("RPUSH", "l", "a", "b");
            String payload = (String) io.cinnabar.testkit.Resp.parse(r.call("DUMP", "l"));
            byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[][][] steps = {
                {b("RESTORE-ASKING"), b("copy"), b("0"), bytes},
                {b("RESTORE-ASKING"), b("copy"), b("0"), bytes},
                {b("RESTORE-ASKING"), b("copy"), b("0"), bytes, b("REPLACE")},
                {b("RESTORE-ASKING"), b("bad"), b("0"), b("garbage")},
                {b("LRANGE"), b("copy"), b("0"), b("-1")},
            };
            for (byte[][] step : steps) {
                assertEquals(r.callBytes(step), c.callBytes(step));
            }
            assertEquals("*2\r\n$1\r\na\r\n$1\r\nb\r\n", c.call("LRANGE", "copy", "0", "-1"));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
