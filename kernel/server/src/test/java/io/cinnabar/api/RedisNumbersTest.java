package io.cinnabar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cinnabar.testkit.ReferenceRedis;
import io.cinnabar.testkit.RespClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Number parsing and formatting against what redis-server itself does. */
class RedisNumbersTest {

    @Test
    void doublesPrintExactlyAsRedisPrintsScores() {
        List<Double> values = new ArrayList<>(List.of(1e8, 1e-5, 0.1, 1e15, 1e17, 1e20, 1e21, 1.5e21, 12345e17,
                1e-4, 1e-6, 1e-7, 1.5e-7, 1.2345e-6, 0.000123456, -1e21, -1.5e-7, Double.MAX_VALUE, Double.MIN_VALUE,
                123.456, 1e7, 1.5e9, 4.611686018427388E18, 4.611686018427389E18, 1.0 / 3, 2.0 / 3, 10.6, -0.5));
        Random r = new Random(20261125);
        for (int i = 0; i < 3000; i++) {
            double d = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                default -> Math.round(r.nextDouble() * 1e6) / 1000.0;
            };
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                values.add(d);
            }
        }
        try (ReferenceRedis redis = ReferenceRedis.start(); RespClient c = redis.client()) {
            StringBuilder pipeline = new StringBuilder();
            for (double d : values) {
                pipeline.append(new String(RespClient.encode(b("ZADD"), b("z"), b(Double.toString(d)), b("m")),
                        StandardCharsets.ISO_8859_1));
                pipeline.append(new String(RespClient.encode(b("ZSCORE"), b("z"), b("m")), StandardCharsets.ISO_8859_1));
            }
            c.writeRaw(pipeline.toString().getBytes(StandardCharsets.ISO_8859_1));
            List<String> mismatches = new ArrayList<>();
            for (double d : values) {
                c.readReply();
                String reply = c.readReply();
                String want = reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
                String got = RedisNumbers.formatDouble(d);
                if (!want.equals(got)) {
                    mismatches.add(Double.toString(d) + ": redis " + want + " ours " + got);
                }
            }
            assertEquals(List.of(), mismatches);
        }
    }

    @Test
    void parseLongFollowsString2ll() {
        assertEquals(0, RedisNumbers.parseLong(b("0"), "e"));
        assertEquals(-1, RedisNumbers.parseLong(b("-1"), "e"));
        assertEquals(Long.MAX_VALUE, RedisNumbers.parseLong(b("9223372036854775807"), "e"));
        assertEquals(Long.MIN_VALUE, RedisNumbers.parseLong(b("-9223372036854775808"), "e"));
        for (String bad : new String[] {"", "-", "01", "-0", "+1", " 1", "1 ", "9223372036854775808",
            "-9223372036854775809", "1.0", "0x10", "123456789012345678901"}) {
            assertThrows(CommandException.class, () -> RedisNumbers.parseLong(b(bad), "e"), bad);
        }
    }

    @Test
    void parseDoubleFollowsStrtodRules() {
        assertEquals(1.5, RedisNumbers.parseDouble(b("1.5"), "e"));
        assertEquals(Double.POSITIVE_INFINITY, RedisNumbers.parseDouble(b("+inf"), "e"));
        assertEquals(Double.NEGATIVE_INFINITY, RedisNumbers.parseDouble(b("-Infinity"), "e"));
        assertEquals(8.0, RedisNumbers.parseDouble(b("0x1p3"), "e"));
        assertEquals(0.5, RedisNumbers.parseDouble(b(".5"), "e"));
        assertEquals(5.0, RedisNumbers.parseDouble(b("5."), "e"));
        assertEquals(1e5, RedisNumbers.parseDouble(b("1e5"), "e"));
        for (String bad : new String[] {"", " 1", "1 ", "nan", "1.5f", "1d", "abc", "1e", "--1", "1e400"}) {
            assertThrows(CommandException.class, () -> RedisNumbers.parseDouble(b(bad), "e"), bad);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
