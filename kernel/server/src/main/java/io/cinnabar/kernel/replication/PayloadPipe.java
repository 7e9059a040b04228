package io.cinnabar.kernel.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * The snapshot's bytes on their way from the master's connection (the event loop writes) to the thread that
 * decodes them (it reads, blocking): a diskless load reads the socket as Redis's rioConn does, without the
 * payload ever being held whole. The connection stops reading while more than {@link #HIGH_WATER} bytes wait,
 * and reads again once the decoder is below {@link #LOW_WATER}, so a slow load never buffers the whole snapshot.
 */
final class PayloadPipe extends InputStream {
    static final int HIGH_WATER = 16 << 20;
    static final int LOW_WATER = 4 << 20;

    private final Channel channel;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] head;
    private int headPos;
    private long queued;
    private boolean ended;
    private String failure;
    private boolean paused;

    PayloadPipe(Channel channel) {
        this.channel = channel;
    }

    /** On the event loop: the next bytes of the snapshot (all readable bytes of {@code b} are taken). */
    void write(ByteBuf b) {
        int n = b.readableBytes();
        if (n == 0) {
            return;
        }
        byte[] chunk = new byte[n];
        b.readBytes(chunk);
        boolean pause;
        synchronized (this) {
            chunks.add(chunk);
            queued += n;
            pause = queued > HIGH_WATER && !paused;
            if (pause) {
                paused = true;
            }
            notifyAll();
        }
        if (pause) {
            channel.config().setAutoRead(false);
        }
    }

    /** The snapshot is complete: the reader gets end of stream once it has read everything before. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** The transfer broke off: the reader's next read fails with {@code reason}. */
    synchronized void fail(String reason) {
        failure = reason;
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (head == null && !nextChunk()) {
            return -1;
        }
        int n = Math.min(len, head.length - headPos);
        System.arraycopy(head, headPos, b, off, n);
        headPos += n;
        if (headPos == head.length) {
            head = null;
        }
        return n;
    }

    /** Takes the next chunk, waiting for one; false at the end of the snapshot. */
    private boolean nextChunk() throws IOException {
        boolean resume;
        synchronized (this) {
            while (chunks.isEmpty() && !ended && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the snapshot");
                }
            }
            if (failure != null) {
                throw new IOException(failure);
            }
            if (chunks.isEmpty()) {
                return false;
            }
            head = chunks.poll();
            headPos = 0;
            queued -= head.length;
            resume = paused && queued < LOW_WATER;
            if (resume) {
                paused = false;
            }
        }
        if (resume) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        }
        return true;
    }
}
