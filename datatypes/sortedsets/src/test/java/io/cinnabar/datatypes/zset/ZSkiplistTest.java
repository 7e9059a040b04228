package io.cinnabar.datatypes.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The skiplist encoding on its own, checked against a sorted java.util set through growth, moves and renumbering. */
class ZSkiplistTest {
    private record Element(double score, String member) implements Comparable<Element> {
        @Override
        public int compareTo(Element o) {
            return ZSkiplist.compare(score, bytes(member), o.score, bytes(o.member));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Order, backward links, ranks by descent and by rank, tail and every member's node agree with the model. */
    private static void check(ZSkiplist z, TreeSet<Element> model, Random rnd) {
        assertEquals(model.size(), z.length());
        List<Element> sorted = new ArrayList<>(model);
        int prev = 0;
        int r = 0;
        for (int x = z.first(); x != 0; x = z.next(x), r++) {
            Element e = sorted.get(r);
            assertEquals(e.member, new String(z.member(x), StandardCharsets.ISO_8859_1));
            assertEquals(e.score, z.score(x));
            assertEquals(prev, z.previous(x));
            assertEquals(x, z.find(bytes(e.member)));
            prev = x;
        }
        assertEquals(model.size(), r);
        assertEquals(prev, z.last());
        for (int k = 0; k < 50 && !sorted.isEmpty(); k++) {
            int i = rnd.nextInt(sorted.size());
            Element e = sorted.get(i);
            assertEquals(e.member, new String(z.member(z.nodeAt(i)), StandardCharsets.ISO_8859_1));
            assertEquals(i, z.countBefore((s, m) -> ZSkiplist.compare(s, m, e.score, bytes(e.member)) < 0));
            assertEquals(model.headSet(new Element(e.score, ""), false).size(), z.countBelow(e.score, false));
        }
    }

    @Test
    void insertsMovesAndRemovesLikeASortedSetThroughGrowthAndRenumbering() {
        Random rnd = new Random(5);
        ZSkiplist z = new ZSkiplist(0);
        TreeSet<Element> model = new TreeSet<>();
        Map<String, Double> scores = new HashMap<>();
        long grownUsage = 0;
        for (int round = 0; round < 6; round++) {
            int range = round % 2 == 0 ? 5000 : 100; // grow, then shrink far enough to renumber
            if (round % 2 == 1) {
                for (String m : new ArrayList<>(scores.keySet())) {
                    if (Integer.parseInt(m.substring(1)) >= range) {
                        assertTrue(z.remove(bytes(m)));
                        model.remove(new Element(scores.remove(m), m));
                    }
                }
            }
            for (int op = 0; op < 40_000; op++) {
                String m = "m" + rnd.nextInt(range);
                double score = rnd.nextInt(round < 2 ? 1000 : 20); // many ties: order by member bytes
                Double cur = scores.get(m);
                int choice = rnd.nextInt(3);
                if (choice == 0) {
                    assertEquals(cur != null, z.remove(bytes(m)));
                    if (cur != null) {
                        model.remove(new Element(cur, m));
                        scores.remove(m);
                    }
                } else if (cur == null) {
                    z.insert(score, bytes(m));
                    model.add(new Element(score, m));
                    scores.put(m, score);
                } else {
                    z.updateScore(z.find(bytes(m)), score);
                    model.remove(new Element(cur, m));
                    model.add(new Element(score, m));
                    scores.put(m, score);
                }
            }
            check(z, model, rnd);
            if (round % 2 == 0) {
                grownUsage = z.memoryUsage();
            } else {
                assertTrue(z.memoryUsage() * 4 < grownUsage, "a set that shrank gives its nodes back");
            }
        }
    }

    @Test
    void scanReturnsEveryMemberPresentThroughoutWhileTheSetGrowsAndShrinks() {
        ZSkiplist z = new ZSkiplist(0);
        for (int i = 0; i < 500; i++) {
            z.insert(i, bytes("stable:" + i));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = z.scan(cursor, (m, s) -> seen.add(new String(m, StandardCharsets.ISO_8859_1)));
            step++;
            if (step % 50 == 10) {
                for (int i = 0; i < 4000; i++) {
                    z.insert(-i, bytes("extra:" + step + ":" + i));
                }
            } else if (step % 50 == 30) {
                for (int i = 0; i < 4000; i++) {
                    z.remove(bytes("extra:" + (step - 20) + ":" + i)); // renumbers the nodes and rebuilds the index
                }
            }
        } while (cursor != 0);
        for (int i = 0; i < 500; i++) {
            assertTrue(seen.contains("stable:" + i), "scan missed a member present throughout");
        }
    }

    /** Runs the prefetch stages for {@code member} as the kernel does; returns what stage 2 gave (0: ended before). */
    private static long prefetched(ZSkiplist z, byte[] member) {
        long prior = 0;
        long atStage2 = 0;
        for (int stage = 0; stage < 4; stage++) {
            prior = z.prefetch(member, 0, member.length, stage, prior);
            if (stage == 2) {
                atStage2 = prior;
            }
            if (prior == 0) {
                break;
            }
        }
        return atStage2;
    }

    @Test
    void prefetchStagesLeadToTheMembersNodeThroughGrowthAndRenumbering() {
        ZSkiplist z = new ZSkiplist(0);
        for (int i = 0; i < 20_000; i++) {
            z.insert(i % 977, bytes("member:" + i));
        }
        for (int round = 0; round < 3; round++) {
            int found = 0;
            int present = 0;
            for (int i = 0; i < 20_000; i++) {
                byte[] m = bytes("member:" + i);
                int node = z.find(m);
                long stage2 = prefetched(z, m);
                if (node != 0) {
                    present++;
                    found += stage2 == node + 1L ? 1 : 0; // a tag shared with another member leads elsewhere
                }
                assertTrue(node != 0 || stage2 == 0 || z.member((int) stage2 - 1) != null);
            }
            assertTrue(found > present * 95L / 100, found + " of " + present);
            for (int i = 0; i < 20_000; i += round == 0 ? 2 : 1) {
                if (i % 10 != 0) {
                    z.remove(bytes("member:" + i)); // then most records are free: the nodes are renumbered
                }
            }
        }
    }
}
