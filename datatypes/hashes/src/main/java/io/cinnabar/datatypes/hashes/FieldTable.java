package io.cinnabar.datatypes.hashes;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "hashtable" encoding of a hash: a chained table with a power-of-two bucket count, so HSCAN can
 * use Redis's reverse-binary cursor, which visits every field present for the whole scan at least once
 * even when the table grows or shrinks between calls.
 */
final class FieldTable {
    private static final int MIN_BUCKETS = 4;

    /** One field and its value. */
    static final class Entry {
        final byte[] field;
        byte[] value;
        final int hash;
        Entry next;

        Entry(byte[] field, byte[] value, int hash, Entry next) {
            this.field = field;
            this.value = value;
            this.hash = hash;
            this.next = next;
        }
    }

    /** Receives the entries of one scan step. */
    interface Visitor {
        void visit(byte[] field, byte[] value);
    }

    private Entry[] buckets;
    private int size;

    FieldTable(int expected) {
        int n = MIN_BUCKETS;
        while (n < expected && n < (1 << 30)) {
            n <<= 1;
        }
        buckets = new Entry[n];
    }

    int size() {
        return size;
    }

    int bucketCount() {
        return buckets.length;
    }

    private static int hash(byte[] b) {
        int h = Arrays.hashCode(b);
        return h ^ (h >>> 16);
    }

    Entry find(byte[] field) {
        int h = hash(field);
        for (Entry e = buckets[h & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.field, field)) {
                return e;
            }
        }
        return null;
    }

    /** Sets the value; true when the field is new. */
    boolean put(byte[] field, byte[] value) {
        Entry e = find(field);
        if (e != null) {
            e.value = value;
            return false;
        }
        if (size >= buckets.length && buckets.length < (1 << 30)) {
            resize(buckets.length << 1);
        }
        int h = hash(field);
        int i = h & (buckets.length - 1);
        buckets[i] = new Entry(field, value, h, buckets[i]);
        size++;
        return true;
    }

    boolean remove(byte[] field) {
        int h = hash(field);
        int i = h & (buckets.length - 1);
        Entry prev = null;
        for (Entry e = buckets[i]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.field, field)) {
                if (prev == null) {
                    buckets[i] = e.next;
                } else {
                    prev.next = e.next;
                }
                size--;
                // shrink below 1/8 fill, as Redis's htNeedsResize would on the next cron
                if (buckets.length > MIN_BUCKETS && size * 8L < buckets.length) {
                    resize(buckets.length >> 1);
                }
                return true;
            }
        }
        return false;
    }

    private void resize(int n) {
        Entry[] old = buckets;
        Entry[] fresh = new Entry[n];
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry next = e.next;
                int i = e.hash & (n - 1);
                e.next = fresh[i];
                fresh[i] = e;
                e = next;
            }
        }
        buckets = fresh;
    }

    /** Visits every entry in table order. */
    void forEach(Visitor v) {
        for (Entry head : buckets) {
            for (Entry e = head; e != null; e = e.next) {
                v.visit(e.field, e.value);
            }
        }
    }

    /** Visits the bucket the cursor names and returns the next cursor (Redis's reverse-binary increment). */
    long scan(long cursor, Visitor v) {
        long mask = buckets.length - 1;
        for (Entry e = buckets[(int) (cursor & mask)]; e != null; e = e.next) {
            v.visit(e.field, e.value);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    /** A random entry (the table must not be empty): a random non-empty bucket, then a random chain member. */
    Entry random() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Entry head;
        do {
            head = buckets[rnd.nextInt(buckets.length)];
        } while (head == null);
        int len = 0;
        for (Entry e = head; e != null; e = e.next) {
            len++;
        }
        int k = rnd.nextInt(len);
        Entry e = head;
        while (k-- > 0) {
            e = e.next;
        }
        return e;
    }

    FieldTable copy() {
        FieldTable t = new FieldTable(buckets.length);
        forEach((f, val) -> t.put(f, val));
        return t;
    }
}
