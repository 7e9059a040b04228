package io.cinnabar.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.KeySpec;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.keyspace.RecordingValue;
import io.cinnabar.kernel.keyspace.TestHooks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The look-ahead over pipelined input: what it counts, and that it reads without consuming or failing. */
class KeyPrefetcherTest {
    private static Database filled(boolean perSlot) {
        Database db = new Database(0, perSlot, TestHooks.INSTANCE);
        for (int i = 0; i < 1000; i++) {
            db.set(("key:" + i).getBytes(StandardCharsets.US_ASCII), ("v" + i).getBytes(StandardCharsets.US_ASCII));
        }
        return db;
    }

    private static ByteBuf input(String s) {
        ByteBuf b = Unpooled.buffer();
        b.writeCharSequence("junk", StandardCharsets.US_ASCII);
        b.readerIndex(4); // the look-ahead starts at the reader index
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        return b;
    }

    private static String command(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static int lookAhead(Database db, String s) {
        ByteBuf in = input(s);
        int before = in.readerIndex();
        int n = new KeyPrefetcher().prefetch(in, db);
        assertEquals(before, in.readerIndex(), "the look-ahead consumes nothing");
        return n;
    }

    @Test
    void countsTheCompleteCommandsAhead() {
        for (boolean perSlot : new boolean[] {false, true}) {
            Database db = filled(perSlot);
            assertEquals(3, lookAhead(db, command("SET", "key:1", "x") + command("GET", "key:2")
                    + command("GET", "absent")));
            assertEquals(2, lookAhead(db, command("PING") + command("SELECT", "1")));
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                many.append(command("GET", "key:" + i));
            }
            assertEquals(Database.PREFETCH_MAX, lookAhead(db, many.toString()));
            assertEquals(1000, db.size());
        }
    }

    @Test
    void stopsAtAnIncompleteOrMalformedCommandAndStillCountsOne() {
        Database db = filled(false);
        String get = command("GET", "key:1");
        assertEquals(1, lookAhead(db, ""));
        assertEquals(1, lookAhead(db, get + get.substring(0, get.length() - 3)));
        assertEquals(1, lookAhead(db, get + "*2\r\n$3\r\nGET\r\n$99999999999\r\nkey\r\n"));
        assertEquals(1, lookAhead(db, get + "*2\r\n$3\r\nGET\r\n$-5\r\n"));
        assertEquals(1, lookAhead(db, "*-1\r\n" + get));
        assertEquals(1, lookAhead(db, "PING\r\n" + get));
        assertEquals(1, lookAhead(db, "*2\r\n$3\r\nGET\r\n:5\r\n" + get));
        assertEquals(1, lookAhead(db, "*99999999999999999999\r\n" + get));
        assertEquals(2, lookAhead(db, get + get + "*1\r\n$4\r\nPI"));
    }

    @Test
    void leavesOutLongKeysAndLooksOnlyAtTheFirstWindowOfInput() {
        Database db = filled(false);
        String longKey = "k".repeat(5000);
        // a command longer than the window is not complete within it
        assertEquals(1, lookAhead(db, command("GET", longKey) + command("GET", "key:1")));
        assertEquals(3, lookAhead(db, command("GET", "k".repeat(100)) + command("GET", "key:1")
                + command("GET", "key:2")));
    }

    @Test
    void aCollectionAtTheKeyIsAskedForTheThirdArgumentOneStageAtATime() {
        Database db = filled(false);
        RecordingValue set = new RecordingValue();
        db.set("myset".getBytes(StandardCharsets.US_ASCII), set);
        assertEquals(4, lookAhead(db, command("SADD", "myset", "m1") + command("GET", "key:1")
                + command("SISMEMBER", "myset", "m2") + command("SCARD", "myset")));
        // stage 0 for both members first, then stage 1 with what stage 0 returned, then stage 2 (which ends it)
        assertEquals(List.of("m1@0/0", "m2@0/0", "m1@1/10", "m2@1/10", "m1@2/11", "m2@2/11"), set.calls);
        set.calls.clear();
        assertEquals(2, lookAhead(db, command("SADD", "absent", "m1") + command("SCARD", "myset")));
        assertEquals(List.of(), set.calls); // no third argument for the key that holds the collection
    }

    @Test
    void aKeyTheCommandBeforeNamedIsLookedUpOnceUnlessItHasAMember() {
        KeyPrefetcher p = new KeyPrefetcher();
        String spop = command("SPOP", "myset");
        assertEquals(4, p.add(input(spop + spop + command("LLEN", "myset") + spop), 16));
        assertEquals(1, p.batchKeys());
        p.prefetch(filled(false));
        assertEquals(4, p.add(input(spop + command("SPOP", "other") + spop + command("SPOP", "mysets")), 16));
        assertEquals(4, p.batchKeys());
        p.prefetch(filled(false));
        // each member is a lookup of its own
        assertEquals(3, p.add(input(command("SADD", "myset", "a") + command("SADD", "myset", "b") + spop), 16));
        assertEquals(2, p.batchKeys());
    }

    /** What {@link ClientConnection} goes by to look ahead less often where it cannot save a miss. */
    @Test
    void aLookAheadIsUselessOnlyOverSeveralCommandsOfOneEntryWithoutMemberLookups() {
        Database db = filled(false);
        RecordingValue set = new RecordingValue();
        db.set("myset".getBytes(StandardCharsets.US_ASCII), set);
        db.set("mylist".getBytes(StandardCharsets.US_ASCII), "a list".getBytes(StandardCharsets.US_ASCII));
        KeyPrefetcher p = new KeyPrefetcher();
        String spop = command("SPOP", "myset");
        p.prefetch(input(spop + spop + spop), db);
        assertTrue(p.lastUseless(), "one key thrice: nothing to prefetch");
        p.prefetch(input(command("LPUSH", "mylist", "a") + command("LPUSH", "mylist", "b")), db);
        assertTrue(p.lastUseless(), "one entry twice, and its value looks nothing up");
        p.prefetch(input(command("GET", "key:1") + command("GET", "key:2")), db);
        assertFalse(p.lastUseless());
        p.prefetch(input(command("GET", "absent") + command("GET", "absent:2")), db);
        assertFalse(p.lastUseless(), "keys not found: their lookups were misses too");
        p.prefetch(input(command("SADD", "myset", "a") + command("SADD", "myset", "b")), db);
        assertFalse(p.lastUseless(), "the members are looked up");
        // the end of a batch (no command left, or one) says nothing about the next one
        p.prefetch(input(""), db);
        assertFalse(p.lastUseless());
        p.prefetch(input(spop + spop.substring(0, 5)), db);
        assertFalse(p.lastUseless());
    }

    @Test
    void zaddAndZincrbyAskForTheMemberAfterTheScore() {
        Database db = filled(false);
        RecordingValue zset = new RecordingValue();
        db.set("myzset".getBytes(StandardCharsets.US_ASCII), zset);
        lookAhead(db, command("ZADD", "myzset", "1.5", "m1") + command("zincrby", "myzset", "2", "m2")
                + command("ZADD", "myzset", "NX", "3", "m3") + command("ZSCORE", "myzset", "m4"));
        // ZADD with options: the third argument (a guess that costs one load); ZSCORE's member is the third
        assertEquals(List.of("m1", "m2", "NX", "m4"), zset.calls.stream().filter(c -> c.contains("@0/"))
                .map(c -> c.substring(0, c.indexOf('@'))).toList());
    }

    private static KeyExtractor.LegacyRange severalKeys(String name, int arity, KeySpec keys) {
        CommandSpec.Builder b = CommandSpec.command(name).arity(arity).handler((ctx, args, reply) -> { });
        return new Command((keys == null ? b : b.key(keys)).build(), "test").severalKeys();
    }

    @Test
    void aCommandOfSeveralKeysAtFixedPlacesHasThemPrefetchedTogether() {
        KeyExtractor.LegacyRange mset = severalKeys("mset", -3, KeySpec.range(1, -1, 2, "OW", "UPDATE"));
        KeyExtractor.LegacyRange smove = severalKeys("smove", 4, KeySpec.range(1, 1, 1, "RW"));
        assertEquals(new KeyExtractor.LegacyRange(1, -1, 2, false), mset);
        assertNull(severalKeys("get", 2, KeySpec.range(1, 0, 1, "RO")));
        assertNull(severalKeys("ping", -1, null));
        Database db = filled(false);
        KeyPrefetcher p = new KeyPrefetcher();
        assertEquals(3, p.prefetch(Args.of("MSET", "key:1", "a", "key:2", "b", "absent", "c"), mset, db));
        assertEquals(2, p.prefetch(Args.of("SMOVE", "key:1", "key:2", "m"), smove, db));
        // one key is no batch; long keys are left out; at most PREFETCH_MAX
        assertEquals(0, p.prefetch(Args.of("MSET", "key:1", "a"), mset, db));
        assertEquals(0, p.prefetch(Args.of("MSET", "key:1", "a", "k".repeat(100), "b"), mset, db));
        String[] many = new String[1 + 2 * 40];
        many[0] = "MSET";
        for (int i = 0; i < 40; i++) {
            many[1 + 2 * i] = "key:" + i;
            many[2 + 2 * i] = "v";
        }
        assertEquals(Database.PREFETCH_MAX, p.prefetch(Args.of(many), mset, db));
        assertEquals(1000, db.size());
    }
}
