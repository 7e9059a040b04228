package io.cinnabar.kernel.propagation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns propagated commands into the byte stream replicas and the AOF read: each command as a RESP
 * multibulk, preceded by {@code SELECT n} whenever its database differs from the last one this stream
 * selected (Redis's slaveseldb / aof_selected_db). One encoder per stream; the bytes go to {@link Sink}.
 */
public final class CommandEncoder implements PropagationTarget {
    /** Where encoded commands go (the replication backlog, the AOF buffer). */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] bytes, int off, int len);
    }

    private final Sink sink;
    private int selectedDb = -1;
    private byte[] buf = new byte[256];
    private int len;

    public CommandEncoder(Sink sink) {
        this.sink = sink;
    }

    /** One command as a RESP multibulk (MIGRATE's requests to its target). */
    public static byte[] encode(byte[]... argv) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CommandEncoder e = new CommandEncoder((b, off, len) -> out.write(b, off, len));
        e.feed(-1, argv);
        return out.toByteArray();
    }

    /** The next command is preceded by a SELECT whatever its database (a new replica, a new AOF file). */
    public void forgetSelectedDb() {
        selectedDb = -1;
    }

    @Override
    public void feed(int db, byte[][] argv) {
        len = 0;
        if (db >= 0 && db != selectedDb) {
            header('*', 2);
            bulk("SELECT".getBytes(StandardCharsets.US_ASCII));
            bulk(Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
            selectedDb = db;
        }
        header('*', argv.length);
        for (byte[] a : argv) {
            bulk(a);
        }
        sink.write(buf, 0, len);
    }

    /** {@code type}, the decimal digits of {@code n} (a count or length, never negative) and CRLF. */
    private void header(char type, long n) {
        int digits = 1;
        for (long v = n; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits + 3);
        buf[len++] = (byte) type;
        long v = n;
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void bulk(byte[] a) {
        header('$', a.length);
        ensure(a.length + 2);
        System.arraycopy(a, 0, buf, len, a.length);
        len += a.length;
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
