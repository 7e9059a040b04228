package io.cinnabar.kernel.cluster;

import io.cinnabar.api.ClusterPubSub;

/**
 * PUBLISH and SPUBLISH over the cluster bus (Redis's clusterPropagatePublish / clusterPropagatePublishShard):
 * a PUBLISH goes to every node this one is linked to, an SPUBLISH to the other nodes of its own shard (the
 * router already sent the client to the shard that owns the channel's slot). What other nodes send is handed
 * to the pub/sub plugin's receiver, which owns delivery. Message body: channel length and message length
 * (32 bits each), then the channel and the message.
 */
public final class ClusterPubSubBus implements ClusterPubSub {
    private final Cluster cluster;
    private Receiver receiver;

    ClusterPubSubBus(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void publish(byte[] channel, byte[] message) {
        cluster.broadcast(build(BusMessage.PUBLISH, channel, message), BusMessage.PUBLISH);
    }

    @Override
    public void publishShard(byte[] channel, byte[] message) {
        byte[] msg = build(BusMessage.PUBLISHSHARD, channel, message);
        ClusterNode me = cluster.state().myself;
        ClusterNode master = me.isReplica() && me.master != null ? me.master : me;
        if (master != me) {
            cluster.send(master.link, msg, BusMessage.PUBLISHSHARD);
        }
        for (ClusterNode r : master.replicas) {
            if (r != me) {
                cluster.send(r.link, msg, BusMessage.PUBLISHSHARD);
            }
        }
    }

    @Override
    public void setReceiver(Receiver receiver) {
        this.receiver = receiver;
    }

    /** A PUBLISH or PUBLISHSHARD from a known node: delivered to this node's subscribers. */
    void received(BusMessage m) {
        if (receiver == null) {
            return;
        }
        int channelLen = m.u32Int(BusMessage.HEADER);
        int messageLen = m.u32Int(BusMessage.HEADER + 4);
        byte[] channel = m.bytes(BusMessage.HEADER + 8, channelLen);
        byte[] message = m.bytes(BusMessage.HEADER + 8 + channelLen, messageLen);
        if (m.type() == BusMessage.PUBLISH) {
            receiver.publish(channel, message);
        } else {
            receiver.publishShard(channel, message);
        }
    }

    private byte[] build(int type, byte[] channel, byte[] message) {
        BusMessage.Builder b = cluster.header(type, BusMessage.HEADER + 8 + channel.length + message.length);
        b.u32(BusMessage.HEADER, channel.length);
        b.u32(BusMessage.HEADER + 4, message.length);
        b.bytes(BusMessage.HEADER + 8, channel);
        b.bytes(BusMessage.HEADER + 8 + channel.length, message);
        return b.array();
    }
}
