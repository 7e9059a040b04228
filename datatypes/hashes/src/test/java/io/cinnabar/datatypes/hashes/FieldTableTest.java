package io.cinnabar.datatypes.hashes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hashtable encoding's index on its own, checked against a java.util map through growth and shrinking. */
class FieldTableTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> contents(FieldTable t) {
        Map<String, String> m = new HashMap<>();
        t.forEach((b, fo, fl, vo, vl) -> m.put(text(b, fo, fl), text(b, vo, vl)));
        assertEquals(t.size(), m.size(), "fields are distinct");
        return m;
    }

    @Test
    void putsRemovesAndFindsLikeAJavaMapThroughGrowthAndShrinking() {
        Random rnd = new Random(11);
        FieldTable t = new FieldTable(0);
        Map<String, String> model = new HashMap<>();
        for (int round = 0; round < 6; round++) {
            int range = round % 2 == 0 ? 20_000 : 300;
            for (int op = 0; op < 60_000; op++) {
                // fields of every length class, some past the one-byte length prefix
                String f = "f" + rnd.nextInt(range) + (rnd.nextInt(50) == 0 ? "x".repeat(130) : "");
                String v = "v".repeat(rnd.nextInt(20));
                switch (rnd.nextInt(round % 2 == 0 ? 4 : 2)) {
                    case 0 -> assertEquals(model.remove(f) != null, t.remove(bytes(f)));
                    case 1 -> {
                        if (t.size() > 0) {
                            int i = rnd.nextInt(t.size());
                            byte[] e = t.entry(i);
                            String lastField = t.size() - 1 == i ? null : fieldOf(t.entry(t.size() - 1));
                            assertTrue(model.remove(fieldOf(e)) != null);
                            t.removeAt(i);
                            if (lastField != null) {
                                assertEquals(lastField, fieldOf(t.entry(i)), "the last entry moves into the hole");
                            }
                        }
                    }
                    default -> assertEquals(model.put(f, v) == null, t.put(bytes(f), bytes(v)));
                }
                assertEquals(model.size(), t.size());
            }
            assertEquals(model, contents(t));
            for (Map.Entry<String, String> e : model.entrySet()) {
                int i = t.find(bytes(e.getKey()));
                byte[] entry = t.entry(i);
                assertArrayEquals(bytes(e.getValue()), Arrays.copyOfRange(entry, FieldTable.valueOffset(entry), entry.length));
            }
            assertEquals(-1, t.find(bytes("absent")));
        }
    }

    private static String fieldOf(byte[] e) {
        int at = PackedLength.sizeAt(e, 0);
        return text(e, at, PackedLength.read(e, 0));
    }

    @Test
    void scanReturnsEveryFieldPresentThroughoutWhileTheTableGrowsAndShrinks() {
        FieldTable t = new FieldTable(0);
        for (int i = 0; i < 500; i++) {
            t.put(bytes("stable:" + i), bytes("v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = t.scan(cursor, (b, fo, fl, vo, vl) -> seen.add(text(b, fo, fl)));
            step++;
            if (step % 50 == 10) {
                for (int i = 0; i < 4000; i++) {
                    t.put(bytes("extra:" + step + ":" + i), bytes("v")); // grows the table under the cursor
                }
            } else if (step % 50 == 30) {
                for (int i = t.size() - 1; i >= 500; i--) {
                    t.removeAt(i); // and shrinks it again: the stable fields are entries 0..499
                }
            }
        } while (cursor != 0);
        for (int i = 0; i < 500; i++) {
            assertTrue(seen.contains("stable:" + i), "scan missed a field present throughout");
        }
    }
}
