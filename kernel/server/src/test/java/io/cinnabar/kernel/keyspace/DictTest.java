package io.cinnabar.kernel.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hash table's invariants across incremental rehashing, and Redis's SCAN guarantee across resizes. */
class DictTest {
    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }

    @Test
    void aReservedTableTakesItsEntriesWithoutRehashingAndIsNotShrunkWhileTheyArrive() {
        Dict d = new Dict();
        d.reserve(100_000);
        assertEquals(262_144, d.buckets()); // within three quarters full
        for (int i = 0; i < 100_000; i++) {
            d.insertNew(key("k", i), i);
            if (i == 10) {
                d.shrinkIfSparse(); // the cron while the load is at its start
            }
        }
        assertEquals(262_144, d.buckets()); // one table: no second one was ever started
        for (int i = 0; i < 100_000; i += 997) {
            assertEquals(i, d.get(key("k", i)));
        }
        for (int i = 0; i < 99_000; i++) {
            d.remove(key("k", i));
        }
        d.shrinkIfSparse(); // the load is over: a sparse table shrinks again
        assertTrue(d.buckets() > 262_144, "a shrink started: " + d.buckets());
        d.reserve(10); // smaller than the table: nothing to do
    }

    @Test
    void putGetRemoveStayConsistentWhileGrowingAndShrinking() {
        Dict d = new Dict();
        Map<String, Integer> model = new HashMap<>();
        Random rnd = new Random(7);
        for (int round = 0; round < 60_000; round++) {
            int i = rnd.nextInt(20_000);
            byte[] k = key("k", i);
            if (rnd.nextInt(3) == 0) {
                assertEquals(model.remove(str(k)), d.remove(k));
            } else {
                assertEquals(model.put(str(k), round), d.put(k, round));
            }
            if (round % 5000 == 0) {
                d.shrinkIfSparse();
            }
        }
        assertEquals(model.size(), d.size());
        for (Map.Entry<String, Integer> e : model.entrySet()) {
            assertEquals(e.getValue(), d.get(e.getKey().getBytes(StandardCharsets.UTF_8)));
        }
        Set<String> seen = new HashSet<>();
        d.forEach((k, v) -> assertTrue(seen.add(str(k)), "forEach visits each entry once"));
        assertEquals(model.keySet(), seen);
        for (String k : model.keySet()) {
            d.remove(k.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, d.size());
        assertNull(d.get(key("k", 1)));
    }

    @Test
    void metaFollowsItsEntryAcrossRehashing() {
        Dict d = new Dict();
        for (int i = 0; i < 5000; i++) {
            int e = d.insertNew(key("m", i), i);
            d.setMetaAt(e, i * 3);
        }
        for (int i = 0; i < 5000; i++) {
            int e = d.find(key("m", i));
            assertEquals(i * 3, d.metaAt(e));
            assertEquals(i, d.valueAt(e));
        }
    }

    /** Stamps stay with their entries while removals shift runs back and the table grows and shrinks. */
    @Test
    void metaFollowsItsEntryAcrossRemovalsAndResizes() {
        Dict d = new Dict();
        Map<String, Integer> model = new HashMap<>();
        Random rnd = new Random(3);
        for (int round = 0; round < 40_000; round++) {
            byte[] k = key("k", rnd.nextInt(5_000));
            int e = d.find(k);
            if (rnd.nextInt(4) == 0) {
                d.remove(k);
                model.remove(str(k));
            } else {
                int stamp = rnd.nextInt(1 << 24);
                d.setMetaAt(e >= 0 ? e : d.insertNew(k, round), stamp);
                model.put(str(k), stamp);
            }
            if (round % 3000 == 0) {
                d.shrinkIfSparse();
            }
            d.rehashStep();
        }
        assertEquals(model.size(), d.size());
        for (Map.Entry<String, Integer> m : model.entrySet()) {
            int e = d.find(m.getKey().getBytes(StandardCharsets.UTF_8));
            assertEquals(m.getValue(), d.metaAt(e), m.getKey());
        }
    }

    /**
     * A full scan while keys are added (forcing the table to grow, several times, mid-rehash) and other keys are
     * deleted returns every key that was present for the whole scan, and never a key that was not in the dict.
     * Adding k keys per step makes the table double about k times before the cursor wraps (each doubling
     * lets a step cover a smaller share of the cursor space), so k stays small.
     */
    @Test
    void scanReturnsEveryStableKeyWhileTheTableGrows() {
        Dict d = new Dict();
        List<byte[]> stable = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] k = key("stable:", i);
            stable.add(k);
            d.insertNew(k, i);
        }
        Set<String> everInserted = new HashSet<>();
        stable.forEach(k -> everInserted.add(str(k)));
        Set<String> returned = new HashSet<>();
        Random rnd = new Random(11);
        int added = 0;
        long cursor = 0;
        int steps = 0;
        do {
            cursor = d.scan(cursor, (k, v) -> returned.add(str(k)));
            for (int j = 0; j < 3; j++) {
                byte[] k = key("new:", added++);
                everInserted.add(str(k));
                d.insertNew(k, j);
            }
            if (steps % 4 == 0) {
                d.remove(key("new:", rnd.nextInt(added)));
            }
            assertTrue(++steps < 1_000_000, "the scan never ends");
        } while (cursor != 0);
        assertTrue(d.size() > 4 * stable.size(), "the table grew during the scan");
        for (byte[] k : stable) {
            assertTrue(returned.contains(str(k)), "missing " + str(k) + " after " + steps + " steps");
        }
        assertTrue(everInserted.containsAll(returned));
    }

    /** The same guarantee when most keys are deleted mid-scan and the table shrinks (incrementally) under it. */
    @Test
    void scanReturnsEveryStableKeyWhileTheTableShrinks() {
        Dict d = new Dict();
        List<byte[]> stable = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stable.add(key("stable:", i));
            d.insertNew(stable.get(i), i);
        }
        for (int i = 0; i < 20_000; i++) {
            d.insertNew(key("tmp:", i), i);
        }
        Set<String> returned = new HashSet<>();
        int deleted = 0;
        long cursor = 0;
        do {
            cursor = d.scan(cursor, (k, v) -> returned.add(str(k)));
            for (int j = 0; j < 500 && deleted < 20_000; j++) {
                d.remove(key("tmp:", deleted++));
            }
            d.shrinkIfSparse();
            d.rehashStep();
        } while (cursor != 0);
        assertEquals(stable.size(), d.size());
        for (byte[] k : stable) {
            assertTrue(returned.contains(str(k)), "missing " + str(k));
        }
    }

    /** Random interleavings of inserts, deletes, shrinks and rehash steps, over many seeds. */
    @Test
    void scanGuaranteeHoldsUnderRandomResizes() {
        for (int seed = 0; seed < 30; seed++) {
            Random rnd = new Random(seed);
            Dict d = new Dict();
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 50 + rnd.nextInt(500); i++) {
                byte[] k = key("s", i);
                stable.add(str(k));
                d.insertNew(k, i);
            }
            int transientCount = 0;
            List<byte[]> live = new ArrayList<>();
            Set<String> returned = new HashSet<>();
            long cursor = 0;
            do {
                cursor = d.scan(cursor, (k, v) -> returned.add(str(k)));
                int op = rnd.nextInt(4);
                if (op == 0) {
                    for (int j = rnd.nextInt(200); j > 0; j--) {
                        byte[] k = key("t", transientCount++);
                        d.insertNew(k, 0);
                        live.add(k);
                    }
                } else if (op == 1) {
                    for (int j = rnd.nextInt(200); j > 0 && !live.isEmpty(); j--) {
                        d.remove(live.remove(live.size() - 1));
                    }
                    d.shrinkIfSparse();
                } else {
                    for (int j = rnd.nextInt(5); j > 0; j--) {
                        d.rehashStep();
                    }
                }
            } while (cursor != 0);
            for (String k : stable) {
                assertTrue(returned.contains(k), "seed " + seed + ": missing " + k);
            }
        }
    }

    @Test
    void randomEntryIsALiveEntry() {
        Dict d = new Dict();
        assertEquals(-1, d.randomEntry());
        for (int i = 0; i < 1000; i++) {
            d.insertNew(key("r", i), i);
        }
        for (int i = 0; i < 1000; i += 2) {
            d.remove(key("r", i));
        }
        for (int n = 0; n < 2000; n++) {
            int e = d.randomEntry();
            int v = (Integer) d.valueAt(e);
            assertEquals(1, v % 2);
            assertEquals(e, d.find(d.keyOf(e)));
        }
    }
}
