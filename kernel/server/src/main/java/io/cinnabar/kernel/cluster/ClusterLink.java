package io.cinnabar.kernel.cluster;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * One TCP connection of the cluster bus (Redis's clusterLink): outbound links are opened by this node to a
 * known node; inbound links are accepted and bound to their node once its first message names it.
 */
final class ClusterLink {
    final Channel channel;
    final boolean inbound;
    final long ctime;
    ClusterNode node;
    boolean connected;
    long pendingBytes;

    ClusterLink(Channel channel, boolean inbound, ClusterNode node, long now) {
        this.channel = channel;
        this.inbound = inbound;
        this.node = node;
        this.ctime = now;
    }

    void send(byte[] message) {
        if (!channel.isActive()) {
            return;
        }
        pendingBytes += message.length;
        channel.writeAndFlush(Unpooled.wrappedBuffer(message)).addListener(f -> pendingBytes -= message.length);
    }

    void close() {
        channel.close();
    }

    /** CLUSTER LINKS "events": r while reading, w while a write is pending. */
    String events() {
        if (!channel.isOpen()) {
            return "";
        }
        return pendingBytes > 0 ? "rw" : "r";
    }
}
