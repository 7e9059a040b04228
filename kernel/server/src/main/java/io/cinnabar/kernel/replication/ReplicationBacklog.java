package io.cinnabar.kernel.replication;

/**
 * The last {@code repl-backlog-size} bytes of the replication stream, so a replica that lost its link can
 * continue from its offset (PSYNC) instead of a full resync. Offsets are replication offsets: the byte at
 * offset {@code o} of the stream is the {@code o}-th byte ever appended since offset 0 (Redis's
 * repl_backlog_off is the first byte held, histlen how many are held).
 */
public final class ReplicationBacklog {
    private byte[] ring;
    private int head;        // where the next byte goes
    private long histlen;    // bytes held, at most ring.length
    private long endOffset;  // replication offset of the last byte appended

    public ReplicationBacklog(int size, long endOffset) {
        this.ring = new byte[Math.max(size, 16 * 1024)];
        this.endOffset = endOffset;
    }

    public void append(byte[] b, int off, int len) {
        endOffset += len;
        if (len >= ring.length) {
            System.arraycopy(b, off + len - ring.length, ring, 0, ring.length);
            head = 0;
            histlen = ring.length;
            return;
        }
        int first = Math.min(len, ring.length - head);
        System.arraycopy(b, off, ring, head, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        head = (head + len) % ring.length;
        histlen = Math.min(ring.length, histlen + len);
    }

    /** The replication offset of the first byte held (Redis's repl_backlog_first_byte_offset). */
    public long firstByteOffset() {
        return endOffset - histlen + 1;
    }

    public long histlen() {
        return histlen;
    }

    public int size() {
        return ring.length;
    }

    /** True when the bytes from {@code offset} (the next one a replica needs) to the end are all held. */
    public boolean holdsFrom(long offset) {
        return histlen > 0 ? offset >= firstByteOffset() && offset <= endOffset + 1 : offset == endOffset + 1;
    }

    /** The bytes from replication offset {@code offset} to the end ({@link #holdsFrom} must be true). */
    public byte[] copyFrom(long offset) {
        int n = (int) (endOffset + 1 - offset);
        byte[] out = new byte[n];
        int start = Math.floorMod(head - n, ring.length);
        int first = Math.min(n, ring.length - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        return out;
    }

    /** CONFIG SET repl-backlog-size: keeps the newest bytes that fit. */
    public void resize(int size) {
        size = Math.max(size, 16 * 1024);
        if (size == ring.length) {
            return;
        }
        long keep = Math.min(histlen, size);
        byte[] held = copyFrom(endOffset + 1 - keep);
        ring = new byte[size];
        System.arraycopy(held, 0, ring, 0, held.length);
        head = held.length % size;
        histlen = keep;
    }
}
