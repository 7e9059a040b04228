package io.cinnabar.datatypes.lists;

import java.util.Comparator;

/**
 * Redis's pqsort.c (Bentley and McIlroy's quicksort, from NetBSD, that skips partitions outside the wanted
 * range), which SORT ... BY ... LIMIT uses. Ported step for step, because the sort is not stable: elements
 * with equal weights come out in the order this exact algorithm leaves them, and replies must match.
 */
final class PartialQuicksort {
    private PartialQuicksort() {
    }

    /** Sorts {@code a} so that positions {@code lrange..rrange} (inclusive) hold what a full sort puts there. */
    static <T> void sort(T[] a, Comparator<? super T> cmp, int lrange, int rrange) {
        sort(a, 0, a.length, cmp, lrange, rrange);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, int lrange, int rrange) {
        while (true) {
            if (n < 7) {
                for (int pm = base + 1; pm < base + n; pm++) {
                    for (int pl = pm; pl > base && cmp.compare(a[pl - 1], a[pl]) > 0; pl--) {
                        swap(a, pl, pl - 1);
                    }
                }
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base;
                int pn = base + n - 1;
                if (n > 40) {
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm);
            int pa = base + 1;
            int pb = pa;
            int pc = base + n - 1;
            int pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) {
                        swap(a, pa, pb);
                        pa++;
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) {
                        swap(a, pc, pd);
                        pd--;
                    }
                    pc--;
                }
                if (pb > pc) {
                    break;
                }
                swap(a, pb, pc);
                pb++;
                pc--;
            }
            int pn = base + n;
            int r = Math.min(pa - base, pb - pa);
            vecswap(a, base, pb - r, r);
            r = Math.min(pd - pc, pn - pd - 1);
            vecswap(a, pb, pn - r, r);
            r = pb - pa;
            if (r > 1 && overlaps(base, r, lrange, rrange)) {
                sort(a, base, r, cmp, lrange, rrange);
            }
            r = pd - pc;
            if (r <= 1) {
                return;
            }
            // iterate rather than recurse, as pqsort.c
            base = pn - r;
            n = r;
            if (!overlaps(base, n, lrange, rrange)) {
                return;
            }
        }
    }

    /** Whether the wanted range is not wholly before or wholly after elements [lo, lo + count). */
    private static boolean overlaps(int lo, int count, int lrange, int rrange) {
        return !((lrange < lo && rrange < lo) || (lrange >= lo + count && rrange >= lo + count));
    }

    private static <T> int med3(T[] a, int x, int y, int z, Comparator<? super T> cmp) {
        return cmp.compare(a[x], a[y]) < 0
                ? (cmp.compare(a[y], a[z]) < 0 ? y : (cmp.compare(a[x], a[z]) < 0 ? z : x))
                : (cmp.compare(a[y], a[z]) > 0 ? y : (cmp.compare(a[x], a[z]) < 0 ? x : z));
    }

    private static <T> void swap(T[] a, int i, int j) {
        T t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static <T> void vecswap(T[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            swap(a, i + k, j + k);
        }
    }
}
