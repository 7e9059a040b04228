package io.cinnabar.datatypes.hashes;

/**
 * The per-field deadlines (unix ms) of one hash, Redis 7.4's hash field expiration. A hash gets one only
 * when a field first gets a TTL, so hashes without field TTLs pay nothing.
 *
 * <p>A field is named by its position in its hash: the pair's ordinal in the listpack, the entry's index in
 * the {@link FieldTable}. So no field's bytes are kept twice and nothing is an object per field: the
 * deadlines sit in primitive arrays. A listpack converts to a table in its own order, so positions carry
 * over ({@link #forTable}). The hash reports how its positions move when a field leaves
 * ({@link #fieldRemoved}): a listpack closes the gap, a table moves its last entry into the hole.
 */
abstract sealed class FieldExpiries permits ListpackFieldExpiries, TableFieldExpiries {
    /** Set once any hash of this JVM got a field TTL: the active sweep does nothing before that. */
    static volatile boolean anySet;

    /** The deadline of the field at {@code pos}, or -1 when it has none. */
    abstract long get(int pos);

    /** Sets the deadline of the field at {@code pos} of a hash of {@code positions} fields. */
    abstract void put(int pos, long deadline, int positions);

    /** Clears the deadline of the field at {@code pos}; true when it had one. */
    abstract boolean remove(int pos);

    /** The field at {@code pos} left its hash, which had {@code positions} fields: its deadline goes too. */
    abstract void fieldRemoved(int pos, int positions);

    /** How many fields have a deadline. */
    abstract int size();

    /** True when some field is expired at {@code now} (expired means deadline < now, as Redis). */
    abstract boolean anyDue(long now);

    /** The earliest deadline, or -1 when no field has one. */
    abstract long earliestDeadline();

    /** The position of a field with the earliest deadline (some field must have one). */
    abstract int earliest();

    /** These deadlines for the table the listpack of their hash converts to (same positions). */
    abstract FieldExpiries forTable();

    abstract FieldExpiries copy();

    /** Heap bytes, headers included. */
    abstract long memoryUsage();
}
