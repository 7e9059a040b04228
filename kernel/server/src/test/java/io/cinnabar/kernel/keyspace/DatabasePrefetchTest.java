package io.cinnabar.kernel.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Database#prefetch} along a bucket's chain: it finds a key behind others and changes nothing. */
class DatabasePrefetchTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code n} keys whose hash agrees with {@code key}'s in the low 12 bits: one bucket in any table up to 4096. */
    private static List<byte[]> colliding(String key, int n) {
        int want = Dict.hash(bytes(key)) & 0xfff;
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n; i++) {
            byte[] k = bytes("c:" + i);
            if ((Dict.hash(k) & 0xfff) == want) {
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
    void followsTheChainToAKeyBehindOthersInItsBucket() {
        Database db = new Database(0, false, TestHooks.INSTANCE);
        db.reserve(64, 0); // one table from the start: no rehash reorders the chains below
        RecordingValue second = new RecordingValue();
        RecordingValue deep = new RecordingValue();
        db.set(bytes("deep"), deep);
        for (byte[] k : colliding("deep", 4)) {
            db.set(k, bytes("v")); // new entries go to the head of the chain: "deep" ends up fifth
        }
        db.set(bytes("second"), second);
        List<byte[]> ahead = colliding("second", 1);
        db.set(ahead.get(0), bytes("v"));
        assertEquals(ahead.size() + 6, db.size());

        prefetch(db, "second", "m1", "deep", "m2", "absent", "m3", "", "m4");
        assertEquals(List.of("m1@0/0", "m1@1/10", "m1@2/11"), second.calls);
        // beyond the hops the prefetch follows, the lookup finds its own way: nothing was started for it
        assertEquals(List.of(), deep.calls);
        assertEquals(second, db.get(bytes("second")));
        assertEquals(deep, db.get(bytes("deep")));
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
