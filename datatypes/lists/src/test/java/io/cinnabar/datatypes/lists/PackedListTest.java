package io.cinnabar.datatypes.lists;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The packed element storage against a plain {@code List<byte[]>} model: random pushes, pops, inserts,
 * replacements and removals with elements of every length-field size (including elements bigger than a
 * node), checked element by element and through cursors in both directions after every step.
 */
class PackedListTest {

    private static final String[] ODD_NUMBERS = {"0", "-0", "01", "+1", "47", "48", "-1", "127", "128", "-128",
        "-129", "32767", "32768", "-32768", "-32769", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1 ", " 1",
        "1e3", "0x10", "-", "12345678901234567890123"};

    private static byte[] value(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return ODD_NUMBERS[rnd.nextInt(ODD_NUMBERS.length)].getBytes();
            case 1:
                long x = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(100);
                    case 1 -> rnd.nextInt(70000) - 35000;
                    case 2 -> rnd.nextInt();
                    default -> rnd.nextLong();
                };
                return Long.toString(x).getBytes();
            default:
                break;
        }
        int len = switch (rnd.nextInt(12)) {
            case 0 -> 0;
            case 1 -> 127 + rnd.nextInt(3);
            case 2 -> 200 + rnd.nextInt(2000);
            case 3 -> 16383 + rnd.nextInt(3);
            case 4 -> rnd.nextInt(20) == 0 ? 8190 + rnd.nextInt(20) : 40;
            default -> 1 + rnd.nextInt(20);
        };
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    private static void check(PackedList p, List<byte[]> model) {
        assertEquals(model.size(), p.size());
        if (model.isEmpty()) {
            return;
        }
        PackedList.Cursor c = p.cursor(0);
        for (int i = 0; i < model.size(); i++, c.next()) {
            assertEquals(i, c.index());
            assertArrayEquals(model.get(i), c.copy(), "element " + i);
            assertTrue(c.contentEquals(model.get(i)));
        }
        c = p.cursor(model.size() - 1);
        for (int i = model.size() - 1; i >= 0; i--, c.previous()) {
            assertArrayEquals(model.get(i), c.copy(), "element " + i + " backwards");
        }
        assertEquals(-1, c.index());
    }

    /** A reply that only collects bulk strings. */
    private static final class Bulks implements io.cinnabar.api.Reply {
        final List<byte[]> got = new ArrayList<>();

        @Override
        public void bulk(byte[] b, int off, int len) {
            got.add(Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void bulk(byte[] b) {
            bulk(b, 0, b.length);
        }

        private static UnsupportedOperationException unexpected() {
            return new UnsupportedOperationException("only bulk strings expected");
        }

        @Override
        public int protocol() {
            return 2;
        }

        @Override
        public void simple(String s) {
            throw unexpected();
        }

        @Override
        public void ok() {
            throw unexpected();
        }

        @Override
        public void error(String line) {
            throw unexpected();
        }

        @Override
        public void integer(long v) {
            throw unexpected();
        }

        @Override
        public void bulk(String s) {
            throw unexpected();
        }

        @Override
        public void bulk(long v) {
            throw unexpected();
        }

        @Override
        public void nullBulk() {
            throw unexpected();
        }

        @Override
        public void nullArray() {
            throw unexpected();
        }

        @Override
        public void array(int n) {
            throw unexpected();
        }

        @Override
        public void map(int n) {
            throw unexpected();
        }

        @Override
        public void set(int n) {
            throw unexpected();
        }

        @Override
        public void push(int n) {
            throw unexpected();
        }

        @Override
        public void doubleValue(double d) {
            throw unexpected();
        }

        @Override
        public void bool(boolean b) {
            throw unexpected();
        }

        @Override
        public void bigNumber(String digits) {
            throw unexpected();
        }

        @Override
        public void verbatim(String format, String text) {
            throw unexpected();
        }

        @Override
        public Deferred deferredArray() {
            throw unexpected();
        }

        @Override
        public Deferred deferredMap() {
            throw unexpected();
        }

        @Override
        public Deferred deferredSet() {
            throw unexpected();
        }
    }

    @Test
    void randomOperationsMatchAPlainList() {
        for (long seed = 1; seed <= 30; seed++) {
            Random rnd = new Random(seed);
            PackedList p = new PackedList();
            List<byte[]> model = new ArrayList<>();
            int steps = 1500;
            for (int step = 0; step < steps; step++) {
                int op = rnd.nextInt(model.isEmpty() ? 2 : 12);
                byte[] v = value(rnd);
                switch (op) {
                    case 0 -> {
                        p.addFirst(v);
                        model.add(0, v);
                    }
                    case 1 -> {
                        p.addLast(v);
                        model.add(v);
                    }
                    case 2 -> {
                        assertArrayEquals(model.remove(0), p.get(0));
                        if (rnd.nextBoolean()) {
                            p.removeRange(0, 1);
                        } else {
                            p.removeFirst();
                        }
                        if (!model.isEmpty()) {
                            assertArrayEquals(model.remove(model.size() - 1), p.get(p.size() - 1));
                            p.removeLast();
                        }
                    }
                    case 3 -> {
                        int n = 1 + rnd.nextInt(Math.min(model.size(), 30));
                        p.removeRange(model.size() - n, n);
                        model.subList(model.size() - n, model.size()).clear();
                    }
                    case 4, 5 -> {
                        int i = rnd.nextInt(model.size() + 1);
                        p.insert(i, v);
                        model.add(i, v);
                    }
                    case 6 -> {
                        int i = rnd.nextInt(model.size());
                        p.set(i, v);
                        model.set(i, v);
                    }
                    case 7 -> {
                        int i = rnd.nextInt(model.size());
                        int n = rnd.nextInt(model.size() - i + 1);
                        p.removeRange(i, n);
                        model.subList(i, i + n).clear();
                    }
                    case 8 -> {
                        int[] idx = new int[model.size()];
                        int n = 0;
                        for (int i = 0; i < model.size(); i++) {
                            if (rnd.nextInt(4) == 0) {
                                idx[n++] = i;
                            }
                        }
                        p.removeAll(idx, n);
                        for (int j = n - 1; j >= 0; j--) {
                            model.remove(idx[j]);
                        }
                    }
                    case 9 -> {
                        int i = rnd.nextInt(model.size());
                        assertArrayEquals(model.get(i), p.get(i));
                        int n = rnd.nextInt(model.size() - i + 1);
                        Bulks bulks = new Bulks();
                        p.replyRange(bulks, i, n);
                        assertEquals(n, bulks.got.size());
                        for (int j = 0; j < n; j++) {
                            assertArrayEquals(model.get(i + j), bulks.got.get(j), "range element " + (i + j));
                        }
                    }
                    case 10 -> {
                        PackedList copy = new PackedList(p);
                        check(copy, model);
                        copy.addFirst(v);
                        assertEquals(model.size() + 1, copy.size());
                    }
                    default -> {
                        for (int k = 0; k < 40; k++) {
                            byte[] w = new byte[16];
                            rnd.nextBytes(w);
                            p.addLast(w);
                            model.add(w);
                        }
                    }
                }
                if (step % 10 == 0 || model.size() < 50) {
                    check(p, model);
                }
            }
            check(p, model);
        }
    }

    /**
     * Range and marked deletes that drop many whole nodes at once, from the head side, the tail side and the
     * middle of a ring that has wrapped (pushes at both ends), then pushes and inserts into what is left.
     */
    @Test
    void deletesSpanningManyNodesMatchAPlainList() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            PackedList p = new PackedList();
            List<byte[]> model = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < 3000; i++) {
                    byte[] v = new byte[rnd.nextInt(8) == 0 ? 9000 : 20 + rnd.nextInt(200)];
                    rnd.nextBytes(v);
                    if (rnd.nextBoolean()) {
                        p.addFirst(v);
                        model.add(0, v);
                    } else {
                        p.addLast(v);
                        model.add(v);
                    }
                }
                int i = rnd.nextInt(model.size() / 2);
                int n = rnd.nextInt(model.size() - i + 1);
                p.removeRange(i, n);
                model.subList(i, i + n).clear();
                check(p, model);
                int[] idx = new int[model.size()];
                int m = 0;
                boolean drop = rnd.nextBoolean();
                for (int e = 0; e < model.size(); e++) {
                    if (rnd.nextInt(400) == 0) {
                        drop = !drop;
                    }
                    if (drop) {
                        idx[m++] = e;
                    }
                }
                p.removeAll(idx, m);
                for (int j = m - 1; j >= 0; j--) {
                    model.remove(idx[j]);
                }
                check(p, model);
                if (!model.isEmpty()) {
                    int at = rnd.nextInt(model.size());
                    p.insert(at, "inserted".getBytes());
                    model.add(at, "inserted".getBytes());
                    check(p, model);
                }
            }
            p.removeRange(0, model.size());
            assertEquals(0, p.size());
            assertTrue(p.memoryUsage() < 200, "memory " + p.memoryUsage());
        }
    }

    @Test
    void integersAreStoredAsNumbersAndReadBackAsTheirDigits() {
        PackedList p = new PackedList();
        List<byte[]> model = new ArrayList<>();
        for (String n : ODD_NUMBERS) {
            p.addLast(n.getBytes());
            model.add(n.getBytes());
        }
        check(p, model);
        PackedList ints = new PackedList();
        for (int i = 0; i < 10_000; i++) {
            ints.addLast(Integer.toString(i % 40).getBytes());
        }
        // one byte an entry for 0..47 (the digits would take 3 or 4)
        assertTrue(ints.memoryUsage() < 10_000 + 1000, "memory " + ints.memoryUsage());
        assertEquals("-9223372036854775808", new String(p.get(20)));
        assertTrue(p.cursor(20).contentEquals("-9223372036854775808".getBytes()));
        assertFalse(p.cursor(20).contentEquals("-9223372036854775807".getBytes()));
        assertEquals(20, p.cursor(20).length());
    }

    @Test
    void manySmallElementsTakeAboutTheirOwnBytes() {
        PackedList p = new PackedList();
        byte[] v = "val:000000000123".getBytes();
        for (int i = 0; i < 100_000; i++) {
            if (i % 2 == 0) {
                p.addLast(v);
            } else {
                p.addFirst(v);
            }
        }
        // 18 bytes an entry (length, 16 bytes, back-length) plus node overhead
        assertTrue(p.memoryUsage() < 100_000L * 19, "memory " + p.memoryUsage());
        while (p.size() > 0) {
            assertArrayEquals(v, p.get(p.size() - 1));
            p.removeRange(p.size() - 1, 1);
        }
        assertFalse(p.memoryUsage() > 1000, "memory " + p.memoryUsage());
    }
}
