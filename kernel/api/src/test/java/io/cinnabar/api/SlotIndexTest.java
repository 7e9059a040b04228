package io.cinnabar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The index with ids that are not dense (as a node store hands them out), against a java.util map. */
class SlotIndexTest {
    /** Entry of id i: its hash (ids here are keys and entries at once). */
    private static int hashOf(int id) {
        return SlotIndex.hash(("key:" + id).getBytes());
    }

    /** The slot of id, by the caller's lookup loop, or ~free slot. */
    private static int find(SlotIndex x, int id) {
        int h = hashOf(id);
        int p = x.home(h);
        for (int v; (v = x.slot(p)) != 0; p = x.next(p)) {
            if (x.tagMatches(v, h) && x.id(v) == id) {
                return p;
            }
        }
        return ~p;
    }

    @Test
    void addsFindsAndRemovesSparseIdsThroughGrowthAndShrinking() {
        Random rnd = new Random(3);
        SlotIndex x = new SlotIndex(0, SlotIndexTest::hashOf);
        Set<Integer> model = new HashSet<>();
        for (int round = 0; round < 4; round++) {
            int range = round % 2 == 0 ? 40_000 : 2_000;
            for (int op = 0; op < 80_000; op++) {
                int id = 1 + rnd.nextInt(range);
                int p = find(x, id);
                if (rnd.nextBoolean()) {
                    assertEquals(model.add(id), p < 0);
                    if (p < 0) {
                        x.add(~p, hashOf(id), id);
                    }
                } else {
                    assertEquals(model.remove(id), p >= 0);
                    if (p >= 0) {
                        x.remove(p);
                        x.shrinkIfSparse(range);
                    }
                }
            }
            assertEquals(model.size(), x.size());
            for (int id : model) {
                assertTrue(find(x, id) >= 0);
                assertEquals(find(x, id), x.slotOf(id, hashOf(id)));
            }
        }
    }

    @Test
    void scanVisitsEveryIdPresentThroughoutAndRelabelKeepsTheSlot() {
        SlotIndex x = new SlotIndex(0, SlotIndexTest::hashOf);
        for (int id = 1; id <= 300; id++) {
            x.add(-1, hashOf(id), id);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = x.scan(cursor, id -> seen.merge(id, 1, Integer::sum));
            if (++step == 20) {
                for (int id = 1000; id < 5000; id++) {
                    x.add(-1, hashOf(id), id); // grows under the cursor
                }
            } else if (step == 60) {
                for (int id = 1000; id < 5000; id++) {
                    x.remove(find(x, id));
                }
                x.shrinkIfSparse(300); // and shrinks
            }
        } while (cursor != 0);
        for (int id = 1; id <= 300; id++) {
            assertTrue(seen.containsKey(id), "scan missed id " + id);
        }
    }

    /** The prefetch stages find the id a lookup finds; an absent entry with an empty home stops at stage 1. */
    @Test
    void prefetchStagesLeadToTheEntryALookupFinds() {
        SlotIndex x = new SlotIndex(0, SlotIndexTest::hashOf);
        for (int id = 1; id <= 5_000; id++) {
            x.add(-1, hashOf(id), id);
        }
        for (int id = 1; id <= 5_000; id++) {
            byte[] k = ("key:" + id).getBytes();
            long home = x.prefetchHash(k, 0, k.length);
            assertEquals(home, x.prefetchSlot(home));
            // the first id of the run with this entry's tag: the one a lookup compares first
            int h = hashOf(id);
            int p = x.home(h);
            while (!x.tagMatches(x.slot(p), h)) {
                p = x.next(p);
            }
            assertEquals(x.id(x.slot(p)), x.prefetchId(home));
        }
        int absent = 0;
        for (int id = 5_001; id <= 10_000; id++) {
            byte[] k = ("key:" + id).getBytes();
            long home = x.prefetchHash(k, 0, k.length);
            if (x.slot(x.home(hashOf(id))) == 0) {
                assertEquals(0, x.prefetchSlot(home));
                absent++;
            }
        }
        assertTrue(absent > 0);
    }
}
