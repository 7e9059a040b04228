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
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
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
                "ZRANGE e 0 -1 WITHSCORES", "OBJECT ENCODING e",
                "GEOADD long 1 1 " + "x".repeat(65), "OBJECT ENCODING long", "GEOADD long2 1 1 " + "x".repeat(64),
                "OBJECT ENCODING long2", "GEOSEARCHSTORE s long FROMLONLAT 1 1 BYRADIUS 1 km", "OBJECT ENCODING s",
                "GEOSEARCHSTORE s long2 FROMLONLAT 1 1 BYRADIUS 1 km STOREDIST", "OBJECT ENCODING s",
                "ZRANGE s 0 -1 WITHSCORES");
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
        EVENTS.clear();
        assertEquals(":2\r\n", c.call("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "2", "2", "BYRADIUS", "500", "km"));
        assertEquals(":2\r\n", c.call("GEORADIUS", "g", "2", "2", "500", "km", "STORE", "d2"));
        assertEquals(":0\r\n", c.call("GEORADIUS", "g", "50", "50", "1", "m", "STOREDIST", "d2"));
        assertEquals(":0\r\n", c.call("GEORADIUS", "g", "50", "50", "1", "m", "STOREDIST", "d2"));
        assertEquals(List.of("3 geosearchstore d", "3 georadiusstore d2", "3 del d2"), new ArrayList<>(EVENTS));
    }

    /** A deterministic cloud of points (a skiplist-encoded set) and searches of every size around it. */
    @Test
    void searchesOverABigIndexMatchRedis() {
        Differential d = diff(13);
        Random rnd = new Random(42);
        List<String> add = new ArrayList<>(List.of("GEOADD", "big"));
        for (int i = 0; i < 600; i++) {
            double lon = i < 300 ? 10 + rnd.nextDouble() * 10 : rnd.nextDouble() * 360 - 180;
            double lat = i < 300 ? 35 + rnd.nextDouble() * 10 : rnd.nextDouble() * 170 - 85;
            add.add(String.format(Locale.ROOT, "%.6f", lon));
            add.add(String.format(Locale.ROOT, "%.6f", lat));
            add.add("p" + i);
        }
        d.cmd(add.toArray(new String[0]));
        d.run("OBJECT ENCODING big", "ZCARD big");
        double[] radii = {1, 10, 50, 120, 400, 1500, 5000, 12000, 21000};
        for (int q = 0; q < 40; q++) {
            String lon = String.format(Locale.ROOT, "%.5f", q < 20 ? 10 + rnd.nextDouble() * 10
                    : rnd.nextDouble() * 360 - 180);
            String lat = String.format(Locale.ROOT, "%.5f", q < 20 ? 35 + rnd.nextDouble() * 10
                    : rnd.nextDouble() * 170 - 85);
            String r = Double.toString(radii[q % radii.length]);
            d.run("GEOSEARCH big FROMLONLAT " + lon + " " + lat + " BYRADIUS " + r + " km WITHDIST WITHHASH",
                    "GEOSEARCH big FROMLONLAT " + lon + " " + lat + " BYBOX " + r + " " + (radii[(q + 3)
                            % radii.length]) + " km ASC WITHDIST WITHCOORD",
                    "GEOSEARCH big FROMMEMBER p" + q + " BYRADIUS " + r + " mi DESC COUNT 5 WITHDIST",
                    "GEOSEARCH big FROMMEMBER p" + (q * 7) + " BYRADIUS " + r + " km COUNT 3 ANY",
                    "GEORADIUS big " + lon + " " + lat + " " + r + " km STORE st" + q,
                    "ZRANGE st" + q + " 0 -1 WITHSCORES", "OBJECT ENCODING st" + q);
        }
        d.assertSame();
    }

    @Test
    void equalDistancesKeepRedisOrder() {
        Differential d = diff(15);
        d.run("GEOADD t 1 1 e 1 1 b 1 1 d 2 2 z 1 1 a 1 1 c 0 0 y", "GEOSEARCH t FROMLONLAT 1 1 BYRADIUS 500 km ASC",
                "GEOSEARCH t FROMLONLAT 1 1 BYRADIUS 500 km DESC", "GEOSEARCH t FROMLONLAT 1 1 BYRADIUS 500 km",
                "GEOSEARCH t FROMLONLAT 1 1 BYRADIUS 500 km ASC COUNT 3",
                "GEOSEARCH t FROMLONLAT 1 1 BYRADIUS 500 km DESC COUNT 4");
        List<String> add = new ArrayList<>(List.of("GEOADD", "many"));
        for (int i = 0; i < 150; i++) {
            add.add(i % 3 == 0 ? "2" : i % 3 == 1 ? "2.01" : Integer.toString(2 + (i % 7) / 100));
            add.add(i % 3 == 2 ? "2.02" : "2");
            add.add("m" + (i * 37 % 151));
        }
        d.cmd(add.toArray(new String[0]));
        for (String n : new String[] {"1", "5", "10", "45", "49", "50", "51", "99", "100", "101", "149", "150"}) {
            d.run("GEOSEARCH many FROMLONLAT 2 2 BYRADIUS 100 km ASC COUNT " + n,
                    "GEOSEARCH many FROMLONLAT 2 2 BYRADIUS 100 km DESC COUNT " + n + " WITHDIST",
                    "GEOSEARCH many FROMLONLAT 2.005 2.01 BYBOX 100 100 km COUNT " + n,
                    "GEORADIUS many 2 2 100 km DESC COUNT " + n + " STORE st", "ZRANGE st 0 -1");
        }
        d.run("GEOSEARCH many FROMLONLAT 2 2 BYRADIUS 100 km ASC", "GEOSEARCH many FROMLONLAT 2 2 BYRADIUS 100 km DESC");
        d.assertSame();
    }

    @Test
    void commandGetkeysFindsTheStoreKeys() {
        Differential d = diff(14);
        d.run("COMMAND GETKEYS GEORADIUS g 1 1 1 km STORE dst", "COMMAND GETKEYS GEORADIUS g 1 1 1 km STOREDIST dst",
                "COMMAND GETKEYS GEORADIUSBYMEMBER g m 1 km STORE dst", "COMMAND GETKEYS GEORADIUS g 1 1 1 km",
                "COMMAND GETKEYS GEOSEARCHSTORE d s FROMMEMBER m BYRADIUS 1 km",
                "COMMAND GETKEYS GEOSEARCH s FROMMEMBER m BYRADIUS 1 km", "COMMAND GETKEYS GEOADD g 1 1 m");
        d.assertSame();
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
        d.run("ZADD w -5 neg -1e30 neghuge 1e19 huge 1.8446744073709552e19 top 1e30 huger inf pinf -inf ninf "
                + "9.2233720368547758e18 two63 0.999 under1", "GEOPOS w neg neghuge huge top huger pinf ninf two63 under1",
                "GEOHASH w neg neghuge huge top huger pinf ninf two63 under1", "GEODIST w neg huge",
                "GEODIST w pinf ninf km", "GEOSEARCH w FROMMEMBER neg BYRADIUS 100 km WITHHASH WITHCOORD",
                "GEOSEARCH w FROMMEMBER huge BYRADIUS 10000 km WITHHASH WITHCOORD");
        d.assertSame();
        d.run("GEOPOS g Paris nope Tokyo", "GEOPOS e ne sw o m zero max", "GEOPOS nokey a");
        d.assertSame();
    }

    /** Points of interest around Palermo/Catania and the world's cities, for the searches. */
    private static final String NEAR = "GEOADD g 13.583333 37.316667 Agrigento 13.1 38.0 Carini "
            + "14.9 37.6 Paterno 12.5 37.8 Marsala 15.5 38.2 Messina -179.9 0.5 Dateline1 179.9 0.4 Dateline2 "
            + "-179.95 84.9 Polar1 179.95 -84.9 Polar2";

    @Test
    void geosearchShapesOrdersAndOptions() {
        Differential d = diff(9);
        d.run(CITIES, NEAR, "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km ASC",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km DESC WITHDIST WITHHASH WITHCOORD",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km WITHCOORD WITHDIST",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 150 km ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER Palermo BYBOX 400 400 km ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER Palermo BYBOX 100 400 km DESC WITHHASH",
                "GEOSEARCH g FROMLONLAT 15 37 BYBOX 300 100 mi ASC",
                "GEOSEARCH g FROMMEMBER Paris BYRADIUS 1000 km ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER Paris BYRADIUS 2000000 ft ASC COUNT 2",
                "GEOSEARCH g FROMMEMBER Paris BYRADIUS 3000 km COUNT 3 DESC WITHDIST",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 500 km COUNT 2 ANY",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 500 km COUNT 2 ANY ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 500 KM COUNT 100",
                "GEOSEARCH g FROMMEMBER Tokyo BYRADIUS 10000 km ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER Tokyo BYRADIUS 20000 km DESC",
                "GEOSEARCH g FROMLONLAT 180 0 BYRADIUS 100 km ASC WITHDIST",
                "GEOSEARCH g FROMLONLAT -180 0.45 BYBOX 100 100 km ASC WITHCOORD",
                "GEOSEARCH g FROMLONLAT 0 85 BYRADIUS 100 km ASC WITHDIST",
                "GEOSEARCH g FROMLONLAT 0 -85.05112878 BYRADIUS 1000 km ASC WITHDIST",
                "GEOSEARCH g FROMMEMBER NullIsland BYRADIUS 0 m WITHDIST", "GEOSEARCH g FROMLONLAT 0 0 BYBOX 0 0 m",
                "GEOSEARCH g FROMLONLAT 50 50 BYRADIUS 1 m", "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 1e10 m COUNT 3",
                "GEOSEARCH g frommember Palermo byradius 200 km frommember Catania asc",
                "GEOSEARCH nokey FROMMEMBER a BYRADIUS 1 km", "GEOSEARCH nokey FROMLONLAT 1 1 BYBOX 1 1 km");
        d.assertSame();
        d.resp3("GEODIST", "nokey", "a", "b");
        d.run("GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHDIST WITHHASH WITHCOORD",
                "GEOSEARCH g FROMLONLAT 15 37 BYRADIUS 200 km ASC WITHCOORD", "GEOSEARCH nokey FROMMEMBER a BYRADIUS 1 km",
                "GEOSEARCH g FROMLONLAT 50 50 BYRADIUS 1 m");
        d.assertSame();
    }

    @Test
    void geosearchErrors() {
        Differential d = diff(10);
        d.run(CITIES, "GEOSEARCH g FROMMEMBER Palermo FROMLONLAT 1 2 BYRADIUS 10 km",
                "GEOSEARCH g FROMLONLAT 1 2 FROMMEMBER Palermo BYRADIUS 10 km",
                "GEOSEARCH g BYRADIUS 10 km BYBOX 1 1 km FROMMEMBER Palermo",
                "GEOSEARCH g BYBOX 1 1 km BYRADIUS 10 km FROMMEMBER Palermo",
                "GEOSEARCH g FROMMEMBER nope BYRADIUS 10 km", "GEOSEARCH g FROMMEMBER Palermo BYRADIUS -1 km",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS x km", "GEOSEARCH g FROMMEMBER Palermo BYBOX -1 1 km",
                "GEOSEARCH g FROMMEMBER Palermo BYBOX 1 -1 km", "GEOSEARCH g FROMMEMBER Palermo BYBOX x 1 km",
                "GEOSEARCH g FROMMEMBER Palermo BYBOX 1 x km", "GEOSEARCH g FROMMEMBER Palermo BYBOX 1 1 yd",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 1 yd", "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km ANY",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km COUNT 0",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km COUNT -3",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km COUNT x",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km COUNT",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km STORE x",
                "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 200 km STOREDIST",
                "GEOSEARCH g FROMLONLAT 500 1 BYRADIUS 200 km", "GEOSEARCH g FROMLONLAT x 1 BYRADIUS 200 km",
                "GEOSEARCH g FROMLONLAT 1 2 BYRADIUS 200", "GEOSEARCH g FROMLONLAT 1 2 ASC DESC WITHDIST",
                "geoSearch g BYRADIUS 1 km ASC WITHDIST", "GEOSEARCH g FROMLONLAT 1 2 ASC WITHDIST NOPE",
                "GEOSEARCH g FROMMEMBER Palermo BYBOX 1 1", "GEOSEARCH g FROMMEMBER Palermo", "GEOSEARCH g",
                "GEOSEARCH nokey FROMMEMBER a BYRADIUS -1 km", "GEOSEARCH nokey FROMMEMBER a WITHDIST ASC",
                "GEOSEARCH nokey FROMMEMBER a BYRADIUS 1 km ANY");
        d.assertSame();
    }

    @Test
    void geosearchstoreStoresHashesOrDistances() {
        Differential d = diff(11);
        d.run(CITIES, NEAR, "GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 300 km",
                "ZRANGE dst 0 -1 WITHSCORES", "OBJECT ENCODING dst", "TTL dst",
                "GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 300 km STOREDIST ASC COUNT 3",
                "ZRANGE dst 0 -1 WITHSCORES",
                "GEOSEARCHSTORE dst g FROMLONLAT 15 37 BYBOX 500 500 km STOREDIST DESC",
                "ZRANGE dst 0 -1 WITHSCORES", "GEOSEARCHSTORE dst g FROMLONLAT 50 50 BYRADIUS 1 m",
                "EXISTS dst", "GEOSEARCHSTORE dst g FROMLONLAT 50 50 BYRADIUS 1 m",
                "EXISTS dst");
        d.reference().call("RPUSH", "dst", "v");
        StandInValue.LIST.put(pair.cinnabar(), 11, "dst");
        d.run("GEOSEARCHSTORE dst g FROMMEMBER Paris BYRADIUS 1000 km", "TYPE dst",
                "GEOSEARCHSTORE dst nokey FROMMEMBER a BYRADIUS 1 km", "EXISTS dst",
                "GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 300 km WITHDIST",
                "GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 300 km STORE x",
                "GEOSEARCHSTORE dst g FROMMEMBER Palermo", "GEOSEARCHSTORE g g FROMMEMBER Palermo BYRADIUS 100 km",
                "ZRANGE g 0 -1");
        d.assertSame();
    }

    @Test
    void georadiusFamily() {
        Differential d = diff(12);
        d.run(CITIES, NEAR, "GEORADIUS g 15 37 200 km", "GEORADIUS g 15 37 200 km ASC WITHDIST WITHCOORD WITHHASH",
                "GEORADIUS g 15 37 200 km DESC COUNT 2", "GEORADIUS g 15 37 200 km COUNT 1 ANY",
                "GEORADIUS g 15 37 200 km ANY", "GEORADIUS g 15 37 -5 km", "GEORADIUS g 15 37 x km",
                "GEORADIUS g 15 37 5 yd", "GEORADIUS g 500 37 5 km", "GEORADIUS g 15 37 200 km STORE x WITHDIST",
                "GEORADIUS g 15 37 200 km STORE dst", "ZRANGE dst 0 -1 WITHSCORES",
                "GEORADIUS g 15 37 200 km STOREDIST dst2 ASC COUNT 2", "ZRANGE dst2 0 -1 WITHSCORES",
                "GEORADIUS g 15 37 200 km STORE dst STOREDIST dst3", "EXISTS dst3",
                "GEORADIUS g 0 0 1 m STORE dst", "EXISTS dst", "GEORADIUS g 15 37 200 km BYRADIUS 1 km",
                "GEORADIUS g 15 37 200 km FROMMEMBER Palermo", "GEORADIUS g 15 37 200 km STORE",
                "GEORADIUS_RO g 15 37 200 km ASC WITHDIST", "GEORADIUS_RO g 15 37 200 km STORE x",
                "GEORADIUS_RO g 15 37 200 km STOREDIST x", "GEORADIUSBYMEMBER g Palermo 200 km ASC WITHDIST",
                "GEORADIUSBYMEMBER g Paris 1500 km DESC WITHCOORD COUNT 3", "GEORADIUSBYMEMBER g nope 200 km",
                "GEORADIUSBYMEMBER g Palermo -1 km", "GEORADIUSBYMEMBER g Palermo 200 km STORE dst4",
                "ZRANGE dst4 0 -1 WITHSCORES", "GEORADIUSBYMEMBER_RO g Tokyo 9000 km ASC WITHDIST",
                "GEORADIUSBYMEMBER_RO g Tokyo 9000 km STORE x", "GEORADIUSBYMEMBER nokey m -5 km",
                "GEORADIUSBYMEMBER nokey m 5 km STORE dst4", "EXISTS dst4", "GEORADIUS nokey 1 1 5 km",
                "GEORADIUS nokey 1 1 -5 km", "GEORADIUS nokey 1 1 5 km STORE dst", "GEORADIUS g 1 1 5",
                "GEORADIUSBYMEMBER g Palermo 5", "GEOSEARCH g FROMMEMBER Palermo BYRADIUS 5 km");
        d.assertSame();
        d.resp3("GEODIST", "nokey", "a", "b");
        d.run("GEORADIUS g 15 37 200 km ASC WITHCOORD", "GEORADIUSBYMEMBER_RO g Palermo 200 km ASC WITHCOORD");
        d.assertSame();
    }

    @Test
    void wrongType() {
        StandInValue.LIST.put(pair.cinnabar(), 8, "lst");
        RespClient c = pair.cinnabarClient();
        c.call("SELECT", "8");
        for (String[] cmd : List.of(new String[] {"GEOADD", "lst", "1", "1", "a"},
                new String[] {"GEODIST", "lst", "a", "b"}, new String[] {"GEOHASH", "lst", "a"},
                new String[] {"GEOPOS", "lst", "a"}, new String[] {"GEOADD", "lst", "XX", "1", "1", "a"},
                new String[] {"GEOSEARCH", "lst", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"},
                new String[] {"GEOSEARCHSTORE", "d", "lst", "FROMLONLAT", "1", "1", "BYRADIUS", "1", "km"},
                new String[] {"GEORADIUS", "lst", "1", "1", "1", "km"}, new String[] {"GEORADIUS_RO", "lst", "1", "1",
                    "1", "km"}, new String[] {"GEORADIUSBYMEMBER", "lst", "a", "1", "km"},
                new String[] {"GEORADIUSBYMEMBER_RO", "lst", "a", "1", "km"})) {
            assertTrue(c.call(cmd).startsWith("-WRONGTYPE"), String.join(" ", cmd));
        }
        // argument errors come before the type check, as in Redis
        assertTrue(c.call("GEOADD", "lst", "1", "abc", "a").startsWith("-ERR value is not a valid float"));
        assertTrue(c.call("GEOADD", "lst", "500", "1", "a").startsWith("-ERR invalid longitude,latitude pair"));
        assertTrue(c.call("GEODIST", "lst", "a", "b", "yd").startsWith("-ERR unsupported unit"));
    }
}
