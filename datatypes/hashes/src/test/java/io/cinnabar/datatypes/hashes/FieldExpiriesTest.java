package io.cinnabar.datatypes.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Field deadlines kept by position ({@link ListpackFieldExpiries}, {@link TableFieldExpiries}) against a plain
 * map of field to deadline: random writes that clear or keep TTLs, deletes (a listpack closing the gap, a table
 * moving its last entry into the hole), TTLs set, changed and persisted, copies, the conversion to a table, and
 * expiry of the due fields earliest first; every field's deadline checked after every step.
 */
class FieldExpiriesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void check(HashValue h, Map<String, String> values, Map<String, Long> deadlines) {
        assertEquals(values.size(), h.size());
        long min = -1;
        for (String f : values.keySet()) {
            long want = deadlines.getOrDefault(f, -1L);
            assertEquals(want, h.expireAt(b(f)), "deadline of " + f);
            if (want >= 0 && (min < 0 || want < min)) {
                min = want;
            }
        }
        assertEquals(min, h.earliestDeadline());
        assertEquals(!deadlines.isEmpty(), h.hasFieldExpiries());
        Map<String, Long> seen = new HashMap<>();
        h.forEachWithDeadline((buf, fo, fl, vo, vl, at) -> seen.put(new String(buf, fo, fl, StandardCharsets.ISO_8859_1), at));
        for (Map.Entry<String, Long> e : seen.entrySet()) {
            assertEquals(deadlines.getOrDefault(e.getKey(), -1L), e.getValue(), "visited deadline of " + e.getKey());
        }
    }

    @Test
    void deadlinesFollowTheirFieldsThroughEveryChange() {
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            // a listpack that converts somewhere between 20 and 120 fields, or a table from the start
            HashValue.Limits limits = new HashValue.Limits(seed % 4 == 0 ? 0 : 20 + rnd.nextInt(100), 64);
            HashValue h = new HashValue();
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, Long> deadlines = new HashMap<>();
            long now = 1_000;
            for (int step = 0; step < 2000; step++) {
                String f = "f" + rnd.nextInt(150);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2 -> {
                        boolean keepTtl = rnd.nextBoolean();
                        h.set(limits, b(f), b("v" + step), keepTtl);
                        values.put(f, "v" + step);
                        if (!keepTtl) {
                            deadlines.remove(f);
                        }
                    }
                    case 3 -> {
                        assertEquals(values.remove(f) != null, h.delete(b(f)));
                        deadlines.remove(f);
                    }
                    case 4, 5, 6 -> {
                        if (values.containsKey(f)) {
                            long at = now + 1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 5000);
                            h.setExpireAt(b(f), at);
                            deadlines.put(f, at);
                        }
                    }
                    case 7 -> assertEquals(deadlines.remove(f) != null && values.containsKey(f), h.persist(b(f)));
                    case 8 -> {
                        now += rnd.nextInt(40);
                        long t = now;
                        int due = (int) deadlines.values().stream().filter(d -> d < t).count();
                        assertEquals(due > 0, h.anyDue(now));
                        if (due > 0) {
                            assertEquals(due, h.deleteDue(now));
                            deadlines.entrySet().removeIf(e -> {
                                if (e.getValue() < t) {
                                    values.remove(e.getKey());
                                    return true;
                                }
                                return false;
                            });
                        }
                        assertTrue(!h.anyDue(now));
                    }
                    default -> {
                        HashValue copy = (HashValue) h.copy();
                        check(copy, values, deadlines);
                        copy.delete(b(f));
                        if (copy.contains(b("f0"))) {
                            copy.setExpireAt(b("f0"), 1);
                        }
                    }
                }
                check(h, values, deadlines);
            }
        }
    }

    /** A big table: the earliest deadline is the heap's top, and deleting others never loses one. */
    @Test
    void aBigTableExpiresItsFieldsEarliestFirst() {
        HashValue.Limits limits = new HashValue.Limits(0, 64);
        HashValue h = new HashValue();
        int n = 40_000;
        Random rnd = new Random(3);
        Map<String, Long> deadlines = new HashMap<>();
        for (int i = 0; i < n; i++) {
            h.set(limits, b("field:" + i), b("v"));
            if (i % 3 != 0) {
                long at = 10_000 + rnd.nextInt(n);
                h.setExpireAt(b("field:" + i), at);
                deadlines.put("field:" + i, at);
            }
        }
        for (int i = 0; i < n; i += 7) {
            h.delete(b("field:" + i));
            deadlines.remove("field:" + i);
        }
        int left = h.size();
        for (long now = 10_000; !deadlines.isEmpty(); now += 997) {
            long t = now;
            long due = deadlines.values().stream().filter(d -> d < t).count();
            assertEquals(due, h.deleteDue(now));
            deadlines.values().removeIf(d -> d < t);
            left -= (int) due;
            assertEquals(left, h.size());
            assertEquals(deadlines.values().stream().mapToLong(Long::longValue).min().orElse(-1), h.earliestDeadline());
        }
        assertEquals(-1, h.earliestDeadline());
        assertTrue(h.memoryUsage() > 0);
    }
}
