package io.cinnabar.kernel.persistence;

import io.cinnabar.testkit.Resp;
import io.cinnabar.testkit.RespClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A canonical text of a server's whole dataset read through commands only (so it compares redis-server with
 * Cinnabar whatever their internals): per database, per key in sorted order, the type, the absolute expiry
 * and the content (collections whose order is not defined are sorted).
 */
public final class DatasetDump {
    private DatasetDump() {
    }

    public static String of(RespClient c, int databases) {
        StringBuilder sb = new StringBuilder();
        for (int db = 0; db < databases; db++) {
            c.call("SELECT", Integer.toString(db));
            List<String> keys = new ArrayList<>();
            String cursor = "0";
            do {
                List<?> reply = (List<?>) Resp.parse(c.call("SCAN", cursor, "COUNT", "1000"));
                cursor = String.valueOf(reply.get(0));
                for (Object k : (List<?>) reply.get(1)) {
                    keys.add(String.valueOf(k));
                }
            } while (!cursor.equals("0"));
            Collections.sort(keys);
            for (String k : keys) {
                String type = String.valueOf(Resp.parse(c.call("TYPE", k)));
                sb.append(db).append(' ').append(k).append(' ').append(type)
                        .append(" expire=").append(Resp.parse(c.call("PEXPIRETIME", k))).append(" = ");
                sb.append(content(c, k, type)).append('\n');
            }
        }
        c.call("SELECT", "0");
        return sb.toString();
    }

    private static String content(RespClient c, String k, String type) {
        return switch (type) {
            case "string" -> String.valueOf(Resp.parse(c.call("GET", k)));
            case "list" -> String.valueOf(Resp.parse(c.call("LRANGE", k, "0", "-1")));
            case "set" -> sorted(Resp.parse(c.call("SMEMBERS", k)));
            case "zset" -> String.valueOf(Resp.parse(c.call("ZRANGE", k, "0", "-1", "WITHSCORES")));
            case "hash" -> sorted(pairs(Resp.parse(c.call("HGETALL", k))));
            default -> "(" + type + ")";
        };
    }

    private static List<String> pairs(Object flat) {
        List<?> l = (List<?>) flat;
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.add(l.get(i) + "=" + l.get(i + 1));
        }
        return out;
    }

    private static String sorted(Object list) {
        List<String> s = new ArrayList<>();
        for (Object o : (List<?>) list) {
            s.add(String.valueOf(o));
        }
        Collections.sort(s);
        return s.toString();
    }
}
