package io.cinnabar.kernel.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A write that follows a lookup of the same key reuses the entry found, and only while that entry holds. */
class DatabaseWriteAfterLookupTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aWriteAfterALookupReplacesTheEntryFound() {
        for (boolean perSlot : new boolean[] {false, true}) {
            Database db = new Database(0, perSlot, TestHooks.INSTANCE);
            db.set(bytes("counter"), bytes("1"));
            db.set(bytes("other"), bytes("x"));
            byte[] arg = bytes("counter");
            assertArrayEquals(bytes("1"), (byte[]) db.get(arg));
            db.setKeepTtl(arg, bytes("2"));
            assertArrayEquals(bytes("2"), (byte[]) db.get(bytes("counter")));
            assertArrayEquals(bytes("x"), (byte[]) db.get(bytes("other")));
            assertEquals(2, db.size());
        }
    }

    @Test
    void anEntryFreedSinceTheLookupIsNotWrittenThrough() {
        for (boolean perSlot : new boolean[] {false, true}) {
            Database db = new Database(0, perSlot, TestHooks.INSTANCE);
            db.set(bytes("a"), bytes("1"));
            byte[] arg = bytes("a");
            db.get(arg);
            db.delete(bytes("a"));
            db.set(bytes("b"), bytes("2")); // may take the entry "a" had
            db.setKeepTtl(arg, bytes("3"));
            assertArrayEquals(bytes("2"), (byte[]) db.get(bytes("b")));
            assertArrayEquals(bytes("3"), (byte[]) db.get(bytes("a")));
            assertEquals(2, db.size());
        }
    }

    @Test
    void aFlushOrSwapForgetsTheEntryFound() {
        Database db = new Database(0, false, TestHooks.INSTANCE);
        Database other = new Database(1, false, TestHooks.INSTANCE);
        db.set(bytes("a"), bytes("1"));
        byte[] arg = bytes("a");
        db.get(arg);
        db.clear();
        db.set(bytes("b"), bytes("2")); // the first entry of a new table
        db.setKeepTtl(arg, bytes("3"));
        assertArrayEquals(bytes("2"), (byte[]) db.get(bytes("b")));
        assertArrayEquals(bytes("3"), (byte[]) db.get(bytes("a")));

        other.set(bytes("c"), bytes("4"));
        db.get(arg);
        db.swapWith(other);
        db.setKeepTtl(arg, bytes("5"));
        assertNull(other.get(bytes("c")));
        assertArrayEquals(bytes("3"), (byte[]) other.get(bytes("a")));
        assertArrayEquals(bytes("4"), (byte[]) db.get(bytes("c")));
        assertArrayEquals(bytes("5"), (byte[]) db.get(bytes("a")));
    }
}
