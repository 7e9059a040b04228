package io.cinnabar.api;

/**
 * Writes replies in the connection's protocol (RESP2 or RESP3 after {@code HELLO 3}). RESP3 types are
 * flattened for RESP2 exactly as Redis does: maps become arrays of 2n elements, sets become arrays,
 * doubles become bulk strings, booleans become integers, nulls become {@code $-1} or {@code *-1}.
 * A container is opened with its length, then its elements are written in order.
 */
public interface Reply {
    /** 2 or 3. */
    int protocol();

    void simple(String s);

    void ok();

    /** An error line without the leading '-', e.g. {@code ERR syntax error}. */
    void error(String line);

    void integer(long v);

    void bulk(byte[] b);

    void bulk(byte[] b, int off, int len);

    /** A bulk string from text (UTF-8). */
    void bulk(String s);

    /** A bulk string holding the decimal form of {@code v}. */
    void bulk(long v);

    /** RESP2 {@code $-1}, RESP3 {@code _}. */
    void nullBulk();

    /** RESP2 {@code *-1}, RESP3 {@code _}. */
    void nullArray();

    void array(int n);

    /** A map of n key/value pairs (2n elements follow). */
    void map(int n);

    void set(int n);

    /** A RESP3 push message; on RESP2 an array (pub/sub messages). */
    void push(int n);

    /** RESP3 {@code ,1.5}; RESP2 a bulk string, both formatted as Redis 7.2 formats doubles. */
    void doubleValue(double d);

    /**
     * A double already formatted by the caller (e.g. Redis's "human" long double form used by GEOPOS):
     * RESP3 {@code ,text}, RESP2 a bulk string of the same text.
     */
    default void doubleText(String text) {
        if (protocol() == 3) {
            doubleValue(Double.parseDouble(text));
        } else {
            bulk(text);
        }
    }

    /** RESP3 {@code #t}/{@code #f}; RESP2 {@code :1}/{@code :0}. */
    void bool(boolean b);

    /** RESP3 {@code (digits}; RESP2 a bulk string. */
    void bigNumber(String digits);

    /** RESP3 verbatim string with a 3-letter format ({@code txt}); RESP2 a bulk string. */
    void verbatim(String format, String text);

    /** An array whose length is written when {@link Deferred#finish} is called. */
    Deferred deferredArray();

    /** A map whose pair count is written when {@link Deferred#finish} is called. */
    Deferred deferredMap();

    Deferred deferredSet();

    /** A container whose length is known only after its elements are written. */
    interface Deferred {
        void finish(int n);
    }
}
