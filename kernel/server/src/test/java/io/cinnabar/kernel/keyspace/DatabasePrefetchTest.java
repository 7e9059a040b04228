package io.cinnabar.kernel.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Database#prefetch} along a run of slots: it finds a key behind others and changes nothing. */
class DatabasePrefetchTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code n} keys whose hash agrees with {@code key}'s in the low 12 bits (one home in any table up to 4096
     * slots) and, when {@code sameTag}, in the top 8 bits (the tag a slot keeps) too.
     */
    private static List<byte[]> colliding(String key, int n, boolean sameTag) {
        int h = Dict.hash(bytes(key));
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n; i++) {
            byte[] k = bytes("c:" + i);
            int hk = Dict.hash(k);
            if ((hk & 0xfff) == (h & 0xfff) && (!sameTag || hk >>> 24 == h >>> 24)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** Prefetches (key, member) pairs the way the connection's look-ahead passes them. */
    private static void prefetch(Database db, String... keysAndMembers) {
        StringBuilder window = new StringBuilder();
        int n = keysAndMembers.length / 2;
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int[] memberOffsets = new int[n];
        int[] memberLengths = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = window.length();
            lengths[i] = keysAndMembers[2 * i].length();
            window.append(keysAndMembers[2 * i]);
            memberOffsets[i] = window.length();
            memberLengths[i] = keysAndMembers[2 * i + 1].length();
            window.append(keysAndMembers[2 * i + 1]);
        }
        db.prefetch(bytes(window.toString()), offsets, lengths, memberOffsets, memberLengths, n);
    }

    @Test
    void findsAKeyBehindOthersInItsRunAndLeavesOneBehindAnotherOfItsTag() {
        Database db = new Database(0, false, TestHooks.INSTANCE);
        db.reserve(64, 0); // one table from the start: no rehash reorders the runs below
        RecordingValue deep = new RecordingValue();
        RecordingValue shadowed = new RecordingValue();
        for (byte[] k : colliding("deep", 4, false)) {
            db.set(k, bytes("v")); // earlier entries take the home and the slots after it: "deep" ends up fifth
        }
        db.set(bytes("deep"), deep);
        db.set(colliding("shadowed", 1, true).get(0), bytes("v"));
        db.set(bytes("shadowed"), shadowed);
        assertEquals(7, db.size());

        prefetch(db, "deep", "m1", "shadowed", "m2", "absent", "m3", "", "m4");
        assertEquals(List.of("m1@0/0", "m1@1/10", "m1@2/11"), deep.calls);
        // the first entry of its tag in the run is another key: the lookup finds its own way, nothing was started
        assertEquals(List.of(), shadowed.calls);
        assertEquals(deep, db.get(bytes("deep")));
        assertEquals(shadowed, db.get(bytes("shadowed")));
    }

    @Test
    void aMemberLookupGetsFourStagesAtMost() {
        Database db = new Database(0, false, TestHooks.INSTANCE);
        RecordingValue endless = new RecordingValue();
        endless.endless = true;
        db.set(bytes("s"), endless);
        prefetch(db, "s", "m");
        assertEquals(List.of("m@0/0", "m@1/10", "m@2/11", "m@3/12"), endless.calls);
    }
}
