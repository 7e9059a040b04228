package io.cinnabar.pubsub;

import io.cinnabar.api.ClientHandle;
import io.cinnabar.api.ClusterPubSub;
import io.cinnabar.api.Glob;
import io.cinnabar.api.Reply;
import io.cinnabar.api.ServerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscription registry of one server (Redis's server.pubsub_channels, pubsub_patterns and
 * pubsubshard_channels, with each client's own sets in {@link Subscriber}) and message delivery. Used only
 * on the execution thread. In cluster mode PUBLISH and SPUBLISH also go to the other nodes through the
 * kernel's {@link ClusterPubSub}, which hands their messages back here.
 */
public final class PubSub {
    private static final PubSub SHARED = new PubSub();

    static final byte[] MESSAGE = bytes("message");
    static final byte[] PMESSAGE = bytes("pmessage");
    static final byte[] SMESSAGE = bytes("smessage");

    /** A kind of subscription: its reply words and where its subscribers are kept. */
    enum Kind {
        CHANNEL("subscribe", "unsubscribe"),
        PATTERN("psubscribe", "punsubscribe"),
        SHARD("ssubscribe", "sunsubscribe");

        final byte[] subscribeWord;
        final byte[] unsubscribeWord;

        Kind(String subscribe, String unsubscribe) {
            this.subscribeWord = bytes(subscribe);
            this.unsubscribeWord = bytes(unsubscribe);
        }
    }

    private final Map<Channel, SubscriberList> channels = new HashMap<>();
    private final Map<Channel, SubscriberList> patterns = new HashMap<>();
    private final Map<Channel, SubscriberList> shardChannels = new HashMap<>();
    private final Map<ClientHandle, Subscriber> subscribers = new IdentityHashMap<>();
    private volatile ServerContext server;
    private ClusterPubSub bus;
    private final ClientTracking tracking = new ClientTracking(this);

    /** The instance the plugin's extensions share when PF4J creates them. */
    static PubSub shared() {
        return SHARED;
    }

    /** Wires the server's hooks (called once by {@link PubSubLifecycle}). */
    void attach(ServerContext server) {
        this.server = server;
        server.onClientClosed(this::dropClient);
        server.onClientReset(this::dropClient);
        tracking.attach(server);
        bus = server.clusterPubSub();
        if (bus != null) {
            bus.setReceiver(new ClusterPubSub.Receiver() {
                @Override
                public void publish(byte[] channel, byte[] message) {
                    deliver(channel, message);
                }

                @Override
                public void publishShard(byte[] channel, byte[] message) {
                    deliverShard(channel, message);
                }
            });
        }
    }

    /** Client-side caching, which sends RESP2 invalidations through subscribed connections. */
    ClientTracking tracking() {
        return tracking;
    }

    /** True while the client is subscribed to anything (Redis's CLIENT_PUBSUB). */
    boolean isSubscriber(ClientHandle client) {
        return subscribers.containsKey(client);
    }

    ServerContext server() {
        return server;
    }

    // ---- subscribing ----

    private Map<Channel, SubscriberList> registry(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private static java.util.Set<Channel> own(Subscriber s, Kind kind) {
        return switch (kind) {
            case CHANNEL -> s.channels;
            case PATTERN -> s.patterns;
            case SHARD -> s.shardChannels;
        };
    }

    private static int count(Subscriber s, Kind kind) {
        return kind == Kind.SHARD ? s.shardChannels.size() : s.subscriptions();
    }

    /** (P|S)SUBSCRIBE of one name: replies with the subscribe message and the client's count. */
    void subscribe(ClientHandle client, Kind kind, byte[] name, Reply reply) {
        Subscriber s = subscribers.computeIfAbsent(client, Subscriber::new);
        Channel ch = new Channel(name);
        if (own(s, kind).add(ch)) {
            registry(kind).computeIfAbsent(ch, k -> new SubscriberList()).add(s);
            s.publishCounts();
        }
        reply.push(3);
        reply.bulk(kind.subscribeWord);
        reply.bulk(name);
        reply.integer(count(s, kind));
    }

    /** (P|S)UNSUBSCRIBE of one name (replied to even when the client was not subscribed to it). */
    void unsubscribe(ClientHandle client, Kind kind, byte[] name, Reply reply) {
        Subscriber s = subscribers.get(client);
        Channel ch = new Channel(name);
        if (s != null) {
            remove(s, kind, ch);
        }
        if (reply != null) {
            reply.push(3);
            reply.bulk(kind.unsubscribeWord);
            reply.bulk(name);
            reply.integer(s == null ? 0 : count(s, kind));
        }
        if (s != null && s.isEmpty()) {
            subscribers.remove(client);
        }
    }

    /** (P|S)UNSUBSCRIBE without arguments: every subscription of the kind, or one null reply when none. */
    void unsubscribeAll(ClientHandle client, Kind kind, Reply reply) {
        Subscriber s = subscribers.get(client);
        List<Channel> names = s == null ? List.of() : new ArrayList<>(own(s, kind));
        for (Channel ch : names) {
            unsubscribe(client, kind, ch.name, reply);
        }
        if (names.isEmpty() && reply != null) {
            reply.push(3);
            reply.bulk(kind.unsubscribeWord);
            reply.nullBulk();
            reply.integer(s == null ? 0 : count(s, kind));
        }
    }

    private void remove(Subscriber s, Kind kind, Channel ch) {
        if (!own(s, kind).remove(ch)) {
            return;
        }
        Map<Channel, SubscriberList> reg = registry(kind);
        SubscriberList list = reg.get(ch);
        if (list != null) {
            list.remove(s);
            if (list.size() == 0) {
                reg.remove(ch);
            }
        }
        s.publishCounts();
    }

    /** A disconnected or RESET client leaves everything, without notifications. */
    private void dropClient(ClientHandle client) {
        Subscriber s = subscribers.remove(client);
        if (s == null) {
            return;
        }
        for (Kind kind : Kind.values()) {
            for (Channel ch : new ArrayList<>(own(s, kind))) {
                remove(s, kind, ch);
            }
        }
    }

    // ---- publishing ----

    /** PUBLISH: delivers here, then to the rest of the cluster; returns the receivers on this node. */
    int publish(byte[] channel, byte[] message) {
        int n = deliver(channel, message);
        if (bus != null) {
            bus.publish(channel, message);
        }
        return n;
    }

    /** SPUBLISH: delivers to this node's shard subscribers (and the shard's replicas through the bus). */
    int publishShard(byte[] channel, byte[] message) {
        int n = deliverShard(channel, message);
        if (bus != null) {
            bus.publishShard(channel, message);
        }
        return n;
    }

    /**
     * Redis's pubsubPublishMessage: to the channel's subscribers, then to every client of every matching
     * pattern. Returns the number of receivers.
     */
    int deliver(byte[] channel, byte[] message) {
        int receivers = 0;
        SubscriberList list = channels.isEmpty() ? null : channels.get(new Channel(channel));
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                send(list.get(i).client, MESSAGE, null, channel, message);
                receivers++;
            }
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<Channel, SubscriberList> e : patterns.entrySet()) {
                byte[] pattern = e.getKey().name;
                if (!Glob.matches(pattern, channel)) {
                    continue;
                }
                SubscriberList pl = e.getValue();
                for (int i = 0; i < pl.size(); i++) {
                    send(pl.get(i).client, PMESSAGE, pattern, channel, message);
                    receivers++;
                }
            }
        }
        return receivers;
    }

    /** Delivers a shard message to this node's subscribers of the shard channel. */
    int deliverShard(byte[] channel, byte[] message) {
        SubscriberList list = shardChannels.isEmpty() ? null : shardChannels.get(new Channel(channel));
        if (list == null) {
            return 0;
        }
        for (int i = 0; i < list.size(); i++) {
            send(list.get(i).client, SMESSAGE, null, channel, message);
        }
        return list.size();
    }

    private static void send(ClientHandle client, byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        if (client.isClosed()) {
            return;
        }
        Reply r = client.beginPush();
        r.push(pattern == null ? 3 : 4);
        r.bulk(kind);
        if (pattern != null) {
            r.bulk(pattern);
        }
        r.bulk(channel);
        r.bulk(message);
        client.endPush();
    }

    // ---- introspection (PUBSUB, INFO) ----

    /** Active channels (or shard channels) matching {@code pattern} (null: all). */
    List<byte[]> activeChannels(boolean shard, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Channel ch : (shard ? shardChannels : channels).keySet()) {
            if (pattern == null || Glob.matches(pattern, ch.name)) {
                out.add(ch.name);
            }
        }
        return out;
    }

    int subscriberCount(boolean shard, byte[] channel) {
        SubscriberList l = (shard ? shardChannels : channels).get(new Channel(channel));
        return l == null ? 0 : l.size();
    }

    /** True when any client listens to a channel or a pattern (keyspace events skip their work otherwise). */
    boolean hasSubscribers() {
        return !channels.isEmpty() || !patterns.isEmpty();
    }

    int channelCount() {
        return channels.size();
    }

    int patternCount() {
        return patterns.size();
    }

    int shardChannelCount() {
        return shardChannels.size();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
