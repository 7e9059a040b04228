package io.cinnabar.kernel.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a full sync's payload to the sockets of one or more replicas from a background thread (the snapshot's
 * writer for a diskless sync, a file reader for a disk-backed one), at the pace of the slowest: each replica
 * has at most {@link #IN_FLIGHT} chunks not yet written to its socket, so a slow replica slows the snapshot
 * down instead of growing memory. A replica whose socket takes no bytes for {@code repl-timeout} is dropped
 * (Redis's "Disconnecting timedout replica" during the transfer); when none is left, writing fails.
 */
final class PayloadPump implements SnapshotSource.Stream {
    private static final int IN_FLIGHT = 8;
    private static final long POLL_MILLIS = 100;

    private static final class Target {
        final ReplicaLink link;
        final ArrayDeque<ChannelFuture> inFlight = new ArrayDeque<>();
        boolean dead;
        long sent;

        Target(ReplicaLink link) {
            this.link = link;
        }
    }

    private final List<Target> targets = new ArrayList<>();
    private final byte[] endMark;
    private final long timeoutMillis;
    private volatile boolean abandoned;

    /** {@code endMark}: written after the payload (a diskless sync's 40-byte mark), or null. */
    PayloadPump(List<ReplicaLink> links, byte[] endMark, long timeoutMillis) {
        for (ReplicaLink l : links) {
            targets.add(new Target(l));
        }
        this.endMark = endMark;
        this.timeoutMillis = timeoutMillis;
    }

    /** The replicas this pump serves. */
    List<ReplicaLink> links() {
        List<ReplicaLink> out = new ArrayList<>();
        for (Target t : targets) {
            out.add(t.link);
        }
        return out;
    }

    /** Bytes handed to {@code link}'s socket (read after the pump finished). */
    long sentTo(ReplicaLink link) {
        for (Target t : targets) {
            if (t.link == link) {
                return t.sent;
            }
        }
        return 0;
    }

    /** Stops a pump blocked on a slow socket (the transfer is cancelled). */
    void abandon() {
        abandoned = true;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // the chunk is never changed once written: every replica's socket reads the same bytes
        ByteBuf shared = Unpooled.wrappedBuffer(b, off, len);
        try {
            boolean any = false;
            for (Target t : targets) {
                if (t.dead) {
                    continue;
                }
                ChannelFuture f = t.link.connection.writePayload(shared.retainedDuplicate());
                if (f == null) {
                    t.dead = true;
                    continue;
                }
                t.inFlight.add(f);
                t.sent += len;
                drain(t, IN_FLIGHT);
                any |= !t.dead;
            }
            if (!any) {
                throw new IOException("no replica is left to send the snapshot to");
            }
        } finally {
            shared.release();
        }
    }

    @Override
    public void end() throws IOException {
        if (endMark != null) {
            write(endMark, 0, endMark.length);
        }
        boolean any = false;
        for (Target t : targets) {
            drain(t, 0);
            any |= !t.dead;
        }
        if (!any) {
            throw new IOException("no replica is left to send the snapshot to");
        }
    }

    /** Waits until at most {@code max} writes of {@code t} are pending; marks it dead when it fails or stalls. */
    private void drain(Target t, int max) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!t.dead && t.inFlight.size() > max) {
            ChannelFuture f = t.inFlight.peekFirst();
            if (abandoned) {
                throw new IOException("snapshot transfer cancelled");
            }
            try {
                if (!f.await(POLL_MILLIS)) {
                    if (System.currentTimeMillis() > deadline) {
                        t.dead = true;
                        t.link.connection.runOnLoop(t.link.connection::close);
                    }
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("snapshot transfer interrupted");
            }
            t.inFlight.pollFirst();
            if (!f.isSuccess()) {
                t.dead = true;
            }
            deadline = System.currentTimeMillis() + timeoutMillis;
        }
    }
}
