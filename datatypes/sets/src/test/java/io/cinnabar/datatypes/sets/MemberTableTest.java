package io.cinnabar.datatypes.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hashtable encoding's index on its own, checked against a java.util set through growth and shrinking. */
class MemberTableTest {
    private static byte[] member(int i) {
        return ("element:" + String.format("%012d", i)).getBytes(StandardCharsets.US_ASCII);
    }

    private static Set<String> contents(MemberTable t) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < t.size(); i++) {
            assertTrue(s.add(new String(t.at(i), StandardCharsets.US_ASCII)), "entries are distinct");
        }
        return s;
    }

    @Test
    void addsRemovesAndFindsLikeAJavaSetThroughGrowthAndShrinking() {
        Random rnd = new Random(7);
        MemberTable t = new MemberTable(0);
        Set<String> model = new HashSet<>();
        for (int round = 0; round < 6; round++) {
            int range = round % 2 == 0 ? 20_000 : 300; // grow to thousands, then shrink to a few hundred
            for (int op = 0; op < 60_000; op++) {
                byte[] m = member(rnd.nextInt(range));
                String k = new String(m, StandardCharsets.US_ASCII);
                switch (rnd.nextInt(round % 2 == 0 ? 4 : 2) % 4) {
                    case 0 -> assertEquals(model.remove(k), t.remove(m));
                    case 1 -> {
                        if (t.size() > 0) {
                            int i = rnd.nextInt(t.size());
                            assertTrue(model.remove(new String(t.at(i), StandardCharsets.US_ASCII)));
                            t.removeAt(i);
                        }
                    }
                    default -> assertEquals(model.add(k), t.add(m));
                }
                assertEquals(model.size(), t.size());
            }
            assertEquals(model, contents(t));
            for (String k : model) {
                assertTrue(t.contains(k.getBytes(StandardCharsets.US_ASCII)));
            }
            assertFalse(t.contains(member(-1)));
        }
    }

    @Test
    void scanReturnsEveryMemberPresentThroughoutWhileTheTableGrowsAndShrinks() {
        MemberTable t = new MemberTable(0);
        List<byte[]> stable = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            stable.add(member(i));
            t.add(member(i));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = t.scan(cursor, m -> seen.add(new String(m, StandardCharsets.US_ASCII)));
            step++;
            if (step % 50 == 10) {
                for (int i = 0; i < 4000; i++) {
                    t.add(member(100_000 + step * 10_000 + i)); // grows the table under the cursor
                }
            } else if (step % 50 == 30) {
                for (int i = t.size() - 1; i >= 500; i--) {
                    t.removeAt(i); // and shrinks it again: the 500 stable members are entries 0..499
                }
            }
        } while (cursor != 0);
        for (byte[] m : stable) {
            assertTrue(seen.contains(new String(m, StandardCharsets.US_ASCII)), "scan missed a member present throughout");
        }
    }

    @Test
    void memoryUsageFollowsTheMembers() {
        MemberTable t = new MemberTable(0);
        long empty = t.memoryUsage();
        for (int i = 0; i < 100_000; i++) {
            t.add(member(i));
        }
        long full = t.memoryUsage();
        // 20-byte members: a 40-byte array, a 4-byte reference and 2^18 / 100000 slots of 4 bytes each
        assertTrue(full - empty > 100_000L * 44 && full - empty < 100_000L * 60, "usage " + (full - empty));
        for (int i = 0; i < 100_000; i++) {
            t.remove(member(i));
        }
        assertTrue(t.memoryUsage() < empty + 1024, "usage after removing all " + t.memoryUsage());
    }
}
