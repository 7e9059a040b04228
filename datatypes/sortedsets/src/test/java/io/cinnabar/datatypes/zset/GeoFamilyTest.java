package io.cinnabar.datatypes.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.testkit.Differential;
import io.cinnabar.testkit.RespClient;
import io.cinnabar.testkit.ServerPair;
import io.cinnabar.testkit.StandInValue;
import io.cinnabar.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The geo commands against the reference redis-server, byte for byte: real city coordinates, the edges of the
 * indexable ranges, errors, and RESP3 where the shapes differ. Each test works in its own database.
 */
class GeoFamilyTest {
    private static ServerPair pair;
    private static final Queue<String> EVENTS = new ConcurrentLinkedQueue<>();

    /** Cities (lon lat name) spread over every hemisphere, plus the poles and antimeridian of the index. */
    private static final String CITIES = "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania "
            + "2.3522219 48.856614 Paris -0.1275 51.507222 London -74.005941 40.712784 NewYork "
            + "139.691706 35.689487 Tokyo 151.209296 -33.86882 Sydney -43.172896 -22.906847 Rio "
            + "-122.419416 37.774929 SanFrancisco 18.4241 -33.9249 CapeTown 37.6173 55.755826 Moscow "
            + "-149.900278 61.218056 Anchorage 174.776236 -41.28646 Wellington 0 0 NullIsland";

    @BeforeAll
    static void start() {
        pair = ServerPair.start(TestServer.builder().family(new SortedSetFamily())
                .listener((cls, event, key, db) -> {
                    if (cls != KeyspaceEvents.NEW && cls != KeyspaceEvents.KEY_MISS) {
                        EVENTS.add(db + " " + event + " " + new String(key, StandardCharsets.ISO_8859_1));
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @AfterEach
    void closeClients() {
        pair.closeClients();
    }

    private Differential diff(int db) {
        Differential d = new Differential(pair.redisClient(), pair.cinnabarClient());
        d.run("SELECT " + db, "FLUSHDB");
        return d;
    }

    @Test
    void geoaddStoresRedisScores() {
        Differential d = diff(1);
        d.run(CITIES, "ZRANGE g 0 -1 WITHSCORES", "OBJECT ENCODING g",
                "GEOADD e 180 85.05112878 ne -180 -85.05112878 sw 180 -85.05112878 se -180 85.05112878 nw",
                "GEOADD e 0 85.05112878 n 0 -85.05112878 s -0 -0 z 1e-300 -1e-300 tiny 179.9999999 0 east",
                "ZRANGE e 0 -1 WITHSCORES");
        d.assertSame();
    }

    @Test
    void geoaddOptionsAndErrors() {
        Differential d = diff(2);
        d.run("GEOADD g 13.361389 38.115556 Palermo", "GEOADD g 13.361389 38.115556 Palermo",
                "GEOADD g NX 15 37 Palermo 15.087269 37.502669 Catania", "ZSCORE g Palermo",
                "GEOADD g XX 15 37 Palermo 2.35 48.85 Paris", "ZSCORE g Palermo", "ZSCORE g Paris",
                "GEOADD g CH 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 2.35 48.85 Paris",
                "GEOADD g XX CH 1 1 Palermo 1 1 Catania", "GEOADD g xx nx 1 1 a", "GEOADD g nx Xx ch 1 1 a",
                "GEOADD g ch nx ch 1 1 Catania 2 2 b", "GEOADD g nx ch xx", "GEOADD g ch ch ch",
                "GEOADD g 1 2 a b", "GEOADD g 1 2 a 3", "GEOADD g foo 1 2 a", "GEOADD g 1 abc a", "GEOADD g abc 1 a",
                "GEOADD g 200 100 x", "GEOADD g 1 1 ok 180.0000001 0 x", "GEOADD g 0 85.05112879 x",
                "GEOADD g 0 -85.0511288 x", "GEOADD g -180.5 -90 x", "GEOADD g inf 0 x", "GEOADD g 0 -inf x",
                "GEOADD g nan 0 x", "GEOADD g 1e400 0 x", "GEOADD g 0x10 0 x", "GEOADD g 1234.56789 -999.5 x",
                "GEOADD g 0.0000005 91 x", "GEOADD g -0.0000004 91 x", "EXISTS ok", "ZCARD g",
                "GEOADD nokey XX 1 1 a", "EXISTS nokey", "GEOADD g 1 1 dup 2 2 dup", "GEOPOS g dup",
                "GEOADD g", "GEOADD g 1 1", "GEOADD g CH 1");
        d.assertSame();
    }

    @Test
    void geoaddEventsAndDirty() {
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "3");
        c.call("FLUSHDB");
        EVENTS.clear();
        assertEquals(":2\r\n", c.call("GEOADD", "g", "1", "1", "a", "2", "2", "b"));
        assertEquals(":0\r\n", c.call("GEOADD", "g", "1", "1", "a"));
        assertEquals(":1\r\n", c.call("GEOADD", "g", "CH", "3", "3", "a"));
        assertEquals(List.of("3 zadd g", "3 zadd g"), new ArrayList<>(EVENTS));
    }

    @Test
    void geodistUnitsAndNulls() {
        Differential d = diff(4);
        d.run(CITIES, "GEODIST g Palermo Catania", "GEODIST g Palermo Catania km", "GEODIST g Palermo Catania KM",
                "GEODIST g Palermo Catania m", "GEODIST g Palermo Catania M", "GEODIST g Palermo Catania ft",
                "GEODIST g Palermo Catania mi", "GEODIST g Paris London", "GEODIST g London Paris mi",
                "GEODIST g Tokyo Sydney km", "GEODIST g NewYork Tokyo", "GEODIST g Rio Wellington ft",
                "GEODIST g Anchorage CapeTown km", "GEODIST g NullIsland NullIsland",
                "GEODIST g SanFrancisco Moscow mi", "GEODIST g Palermo Palermo km",
                "GEODIST g Palermo Catania parsecs", "GEODIST g Palermo Catania km x", "GEODIST g Palermo nope",
                "GEODIST g nope Palermo km", "GEODIST nokey a b", "GEODIST nokey a b furlong", "GEODIST g a",
                "GEOADD e 180 0 east -180 0 west 0 85.05112878 n 0 -85.05112878 s 10 10 a 10 20 b",
                "GEODIST e east west", "GEODIST e n s km", "GEODIST e a b", "GEODIST e a b mi", "GEODIST e n east");
        d.assertSame();
        d.resp3("GEODIST", "nokey", "a", "b");
        d.run("GEODIST g Paris London km", "GEODIST g Paris nope");
        d.assertSame();
    }

    @Test
    void geohashStrings() {
        Differential d = diff(5);
        d.run(CITIES, "GEOHASH g Palermo Catania Paris London NewYork Tokyo Sydney Rio SanFrancisco CapeTown "
                + "Moscow Anchorage Wellington NullIsland nope", "GEOHASH g", "GEOHASH nokey a b", "GEOHASH nokey",
                "GEOADD e 180 85.05112878 ne -180 -85.05112878 sw 0 0 o -0.000001 -0.000001 m",
                "GEOHASH e ne sw o m", "ZADD e 0 zero 4503599627370495 max 123.5 frac", "GEOHASH e zero max frac");
        d.assertSame();
        d.resp3("GEODIST", "nokey", "a", "b");
        d.run("GEOHASH g Paris nope");
        d.assertSame();
    }

    @Test
    void geoposCoordinatesInBothProtocols() {
        Differential d = diff(6);
        d.run(CITIES, "GEOPOS g Palermo Catania Paris London NewYork Tokyo Sydney Rio SanFrancisco CapeTown "
                + "Moscow Anchorage Wellington NullIsland nope", "GEOPOS g", "GEOPOS nokey a b", "GEOPOS nokey",
                "GEOADD e 180 85.05112878 ne -180 -85.05112878 sw 0 0 o -0.000001 -0.000001 m",
                "GEOPOS e ne sw o m", "ZADD e 0 zero 4503599627370495 max 123.5 frac", "GEOPOS e zero max frac");
        d.assertSame();
        d.resp3("GEODIST", "nokey", "a", "b");
        d.run("GEOPOS g Paris nope Tokyo", "GEOPOS e ne sw o m zero max", "GEOPOS nokey a");
        d.assertSame();
    }

    @Test
    void wrongType() {
        StandInValue.LIST.put(pair.cinnabar(), 8, "lst");
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "8");
        for (String[] cmd : List.of(new String[] {"GEOADD", "lst", "1", "1", "a"},
                new String[] {"GEODIST", "lst", "a", "b"}, new String[] {"GEOHASH", "lst", "a"},
                new String[] {"GEOPOS", "lst", "a"}, new String[] {"GEOADD", "lst", "XX", "1", "1", "a"})) {
            assertTrue(c.call(cmd).startsWith("-WRONGTYPE"), String.join(" ", cmd));
        }
        // argument errors come before the type check, as in Redis
        assertTrue(c.call("GEOADD", "lst", "1", "abc", "a").startsWith("-ERR value is not a valid float"));
        assertTrue(c.call("GEOADD", "lst", "500", "1", "a").startsWith("-ERR invalid longitude,latitude pair"));
        assertTrue(c.call("GEODIST", "lst", "a", "b", "yd").startsWith("-ERR unsupported unit"));
    }
}
