package io.cinnabar.datatypes.hashes;

import java.util.Arrays;

/**
 * Large arrays of {@link FieldTable} and {@link TableFieldExpiries} split into pages of {@link #SIZE} elements: an array of a million
 * elements would be a G1 "humongous" object, which takes whole heap regions (up to 32 MB each on big heaps)
 * and wastes their unused tail. A capacity up to one page is a single page of exactly that length; above,
 * the capacity is a whole number of full pages, so growing adds pages and never copies the old ones.
 */
final class Pages {
    static final int SHIFT = 14;
    static final int SIZE = 1 << SHIFT;
    static final int MASK = SIZE - 1;

    private Pages() {
    }

    private static int pageCount(int capacity) {
        return (capacity + MASK) >>> SHIFT;
    }

    static int capacity(int[][] a) {
        return (a.length - 1) * SIZE + a[a.length - 1].length;
    }

    static int capacity(long[][] a) {
        return (a.length - 1) * SIZE + a[a.length - 1].length;
    }

    static int capacity(byte[][][] a) {
        return (a.length - 1) * SIZE + a[a.length - 1].length;
    }

    static int[][] ints(int capacity) {
        if (capacity <= SIZE) {
            return new int[][] {new int[capacity]};
        }
        int[][] a = new int[pageCount(capacity)][];
        for (int p = 0; p < a.length; p++) {
            a[p] = new int[SIZE];
        }
        return a;
    }

    /** {@code a} resized to {@code capacity}, keeping the first elements (full pages are shared, not copied). */
    static int[][] resize(int[][] a, int capacity) {
        if (capacity <= SIZE) {
            return new int[][] {Arrays.copyOf(a[0], capacity)};
        }
        int[][] r = new int[pageCount(capacity)][];
        for (int p = 0; p < r.length; p++) {
            r[p] = p >= a.length ? new int[SIZE] : a[p].length == SIZE ? a[p] : Arrays.copyOf(a[p], SIZE);
        }
        return r;
    }

    static long[][] longs(int capacity) {
        if (capacity <= SIZE) {
            return new long[][] {new long[capacity]};
        }
        long[][] a = new long[pageCount(capacity)][];
        for (int p = 0; p < a.length; p++) {
            a[p] = new long[SIZE];
        }
        return a;
    }

    static long[][] resize(long[][] a, int capacity) {
        if (capacity <= SIZE) {
            return new long[][] {Arrays.copyOf(a[0], capacity)};
        }
        long[][] r = new long[pageCount(capacity)][];
        for (int p = 0; p < r.length; p++) {
            r[p] = p >= a.length ? new long[SIZE] : a[p].length == SIZE ? a[p] : Arrays.copyOf(a[p], SIZE);
        }
        return r;
    }

    static byte[][][] refs(int capacity) {
        if (capacity <= SIZE) {
            return new byte[][][] {new byte[capacity][]};
        }
        byte[][][] a = new byte[pageCount(capacity)][][];
        for (int p = 0; p < a.length; p++) {
            a[p] = new byte[SIZE][];
        }
        return a;
    }

    static byte[][][] resize(byte[][][] a, int capacity) {
        if (capacity <= SIZE) {
            return new byte[][][] {Arrays.copyOf(a[0], capacity)};
        }
        byte[][][] r = new byte[pageCount(capacity)][][];
        for (int p = 0; p < r.length; p++) {
            r[p] = p >= a.length ? new byte[SIZE][] : a[p].length == SIZE ? a[p] : Arrays.copyOf(a[p], SIZE);
        }
        return r;
    }

    static int[][] copy(int[][] a) {
        int[][] r = new int[a.length][];
        for (int p = 0; p < a.length; p++) {
            r[p] = a[p].clone();
        }
        return r;
    }

    static long[][] copy(long[][] a) {
        long[][] r = new long[a.length][];
        for (int p = 0; p < a.length; p++) {
            r[p] = a[p].clone();
        }
        return r;
    }
}
