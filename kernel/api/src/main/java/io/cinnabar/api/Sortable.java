package io.cinnabar.api;

/**
 * A collection SORT and SORT_RO can read (Redis's sort.c sorts lists, sets and sorted sets). The list, set and
 * sorted-set values implement it, so the command lives in one plugin without depending on the others.
 */
public interface Sortable extends RedisValue {
    /** Number of elements. */
    int sortLength();

    /**
     * Element {@code i} of the value's own order: a list's order, a set's iteration order (as SMEMBERS), a
     * sorted set's rank order. Stepping through consecutive indexes, in either direction, must be cheap.
     */
    byte[] sortElement(int i);

    /**
     * Called before SORT reads the value. Redis converts a listpack sorted set to a skiplist there
     * (sort.c's zsetConvert), which OBJECT ENCODING shows afterwards; other types do nothing.
     */
    default void beforeSort() {
    }
}
