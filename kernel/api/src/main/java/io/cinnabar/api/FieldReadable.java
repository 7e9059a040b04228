package io.cinnabar.api;

/**
 * A value whose fields another plugin may read: SORT's BY and GET patterns of the form {@code key*->field}
 * read a field of a hash (Redis's hashTypeGetValueObject).
 */
public interface FieldReadable extends RedisValue {
    /** The field's value, or null when the field is absent (or its field TTL passed at {@code nowMillis}). */
    byte[] readField(byte[] field, long nowMillis);
}
