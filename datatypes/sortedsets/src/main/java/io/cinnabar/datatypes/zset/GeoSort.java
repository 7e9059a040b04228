package io.cinnabar.datatypes.zset;

import java.util.Comparator;

/**
 * Redis's pqsort (NetBSD's Bentley-McIlroy quicksort that only sorts the partitions overlapping a range of
 * indexes), which GEOSEARCH uses when COUNT keeps fewer results than it found: elements at equal distances come
 * out in the same order as from Redis.
 */
final class GeoSort {
    private GeoSort() {
    }

    /** Sorts {@code x[0..n)} enough that indexes {@code lrange..rrange} hold their sorted elements. */
    static <T> void pqsort(T[] x, int n, Comparator<? super T> c, int lrange, int rrange) {
        sort(x, 0, n, c, lrange, rrange);
    }

    private static <T> void sort(T[] x, int a, int n, Comparator<? super T> c, int lr, int rr) {
        while (true) {
            boolean swapped = false;
            if (n < 7) {
                insertion(x, a, n, c);
                return;
            }
            int pm = a + n / 2;
            if (n > 7) {
                int pl = a;
                int pn = a + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(x, pl, pl + d, pl + 2 * d, c);
                    pm = med3(x, pm - d, pm, pm + d, c);
                    pn = med3(x, pn - 2 * d, pn - d, pn, c);
                }
                pm = med3(x, pl, pm, pn, c);
            }
            swap(x, a, pm);
            int pa = a + 1;
            int pb = pa;
            int pc = a + n - 1;
            int pd = pc;
            for (;;) {
                int r;
                while (pb <= pc && (r = c.compare(x[pb], x[a])) <= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(x, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = c.compare(x[pc], x[a])) >= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(x, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(x, pb, pc);
                swapped = true;
                pb++;
                pc--;
            }
            if (!swapped) {
                insertion(x, a, n, c);
                return;
            }
            int pn = a + n;
            int r = Math.min(pa - a, pb - pa);
            vecswap(x, a, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(x, pb, pn - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(a, a + r - 1, lr, rr)) {
                sort(x, a, r, c, lr, rr);
            }
            r = pd - pc;
            if (r > 1) {
                a = pn - r;
                n = r;
                if (overlaps(a, a + r - 1, lr, rr)) {
                    continue;
                }
            }
            return;
        }
    }

    private static boolean overlaps(int l, int r, int lr, int rr) {
        return !((lr < l && rr < l) || (lr > r && rr > r));
    }

    private static <T> void insertion(T[] x, int a, int n, Comparator<? super T> c) {
        for (int pm = a + 1; pm < a + n; pm++) {
            for (int pl = pm; pl > a && c.compare(x[pl - 1], x[pl]) > 0; pl--) {
                swap(x, pl, pl - 1);
            }
        }
    }

    private static <T> int med3(T[] x, int a, int b, int cc, Comparator<? super T> c) {
        return c.compare(x[a], x[b]) < 0
                ? (c.compare(x[b], x[cc]) < 0 ? b : (c.compare(x[a], x[cc]) < 0 ? cc : a))
                : (c.compare(x[b], x[cc]) > 0 ? b : (c.compare(x[a], x[cc]) < 0 ? a : cc));
    }

    private static <T> void swap(T[] x, int i, int j) {
        T t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    private static <T> void vecswap(T[] x, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            swap(x, a + i, b + i);
        }
    }
}
