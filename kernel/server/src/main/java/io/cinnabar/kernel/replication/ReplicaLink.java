package io.cinnabar.kernel.replication;

import io.cinnabar.kernel.net.ClientConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** A replica attached to this server (the master side of one link): what INFO, ROLE and WAIT report. */
final class ReplicaLink {
    /** Redis's replstate on the master side of a link. */
    enum State {
        /** A full resync is due; no snapshot serves it yet (repl-diskless-sync-delay, another job running). */
        WAIT_BGSAVE_START("wait_bgsave"),
        /** The snapshot it gets runs (diskless: streams); the command stream is held for after it. */
        WAIT_BGSAVE_END("wait_bgsave"),
        /** A disk-backed snapshot's file is being sent. */
        SEND_BULK("send_bulk"),
        /** The stream flows (after a diskless payload, from the replica's first REPLCONF ACK). */
        ONLINE("online");

        final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    final ClientConnection connection;
    final String ip;
    final int listeningPort;
    /** REPLCONF capa eof: it reads a diskless, EOF-marked payload. */
    final boolean capaEof;
    /** PSYNC (not the old SYNC): it expects +FULLRESYNC before the payload. */
    final boolean psync;
    State state;
    /** Redis's repl_start_cmd_stream_on_ack: after a diskless payload the held stream waits for the first ACK. */
    boolean streamOnAck;
    /** The command stream produced while the snapshot for this replica runs, sent after the payload. */
    ByteBuf held;
    /** The replica's acknowledged replication offset (REPLCONF ACK), -1 before the first one. */
    long ackOffset = -1;
    /** The offset the replica's AOF fsynced (REPLCONF ACK ... FACK), -1 before the first one or without AOF. */
    long aofAckOffset = -1;
    long ackMillis;
    /** Since when (unix seconds) its output passes the soft limit, 0 when it does not. */
    private long softLimitSince;
    /** When it asked for the full resync (repl-diskless-sync-delay counts from there). */
    final long syncRequestMillis;

    ReplicaLink(ClientConnection connection, String ip, int listeningPort, long nowMillis, boolean capaEof,
                boolean psync, State state) {
        this.connection = connection;
        this.ip = ip;
        this.listeningPort = listeningPort;
        this.ackMillis = nowMillis;
        this.syncRequestMillis = nowMillis;
        this.capaEof = capaEof;
        this.psync = psync;
        this.state = state;
    }

    /** True when stream bytes go to the socket now rather than into {@link #held}. */
    boolean streaming() {
        return state == State.ONLINE && !streamOnAck;
    }

    /** Stream bytes for this replica: sent when it streams, held while its snapshot is produced or sent. */
    void stream(byte[] b, int off, int len) {
        if (streaming()) {
            connection.writeStream(b, off, len);
        } else if (state != State.WAIT_BGSAVE_START) {
            if (held == null) {
                held = Unpooled.buffer(Math.max(len, 16 * 1024));
            }
            held.writeBytes(b, off, len);
        }
    }

    /** Bytes held for after the payload (client-output-buffer-limit replica counts them). */
    long heldBytes() {
        return held == null ? 0 : held.readableBytes();
    }

    /** The stream starts: what was held goes first. */
    void startStream() {
        state = State.ONLINE;
        streamOnAck = false;
        if (held != null) {
            ByteBuf h = held;
            held = null;
            connection.writeStream(h);
        }
        connection.flushStream();
    }

    /**
     * Redis's checkClientOutputBufferLimits for the replica class: the stream waiting for this replica (held
     * for after its payload, or written but not yet taken by its socket) passes the hard limit, or has stayed
     * over the soft limit longer than the soft seconds. {@code limit} is {hard, soft, seconds}.
     */
    boolean overOutputLimit(long[] limit, long nowSeconds) {
        long used = heldBytes() + connection.outputBufferBytes();
        boolean hard = limit[0] > 0 && used >= limit[0];
        boolean soft = limit[1] > 0 && used >= limit[1];
        if (soft) {
            if (softLimitSince == 0) {
                softLimitSince = nowSeconds;
                soft = false; // the first time over the soft limit
            } else if (nowSeconds - softLimitSince <= limit[2]) {
                soft = false;
            }
        } else {
            softLimitSince = 0;
        }
        return hard || soft;
    }

    void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
