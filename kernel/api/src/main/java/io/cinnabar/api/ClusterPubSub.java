package io.cinnabar.api;

/**
 * How PUBLISH and SPUBLISH reach the other nodes of a cluster: the cluster implements it over its bus
 * (Redis's clusterPropagatePublish and, for shard channels, the nodes of the slot's shard), and hands what
 * other nodes publish to the {@link Receiver} the pub/sub plugin sets, so the plugin owns the messages.
 * {@link ServerContext#clusterPubSub()} is null in standalone mode.
 */
public interface ClusterPubSub {
    /** Sends a PUBLISH to every other node. */
    void publish(byte[] channel, byte[] message);

    /** Sends an SPUBLISH to the other nodes of the shard that owns the channel's slot. */
    void publishShard(byte[] channel, byte[] message);

    /** Where messages from other nodes go (set once by the pub/sub plugin). */
    void setReceiver(Receiver receiver);

    /** Delivers messages other nodes published to this node's subscribers; runs on the execution thread. */
    interface Receiver {
        void publish(byte[] channel, byte[] message);

        void publishShard(byte[] channel, byte[] message);
    }
}
