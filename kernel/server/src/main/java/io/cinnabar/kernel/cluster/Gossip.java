package io.cinnabar.kernel.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The gossip section and ping extensions of PING / PONG / MEET messages (Redis's clusterSendPing). */
final class Gossip {
    private Gossip() {
    }

    /**
     * About a tenth of the nodes (at least 3, at most all but myself and the receiver), chosen at random
     * among healthy ones with an address, then every node in PFAIL so failure reports spread.
     */
    static List<ClusterNode> pick(ClusterState state) {
        List<ClusterNode> all = new ArrayList<>(state.all());
        int fresh = all.size() - 2;
        int wanted = Math.min(Math.max(3, all.size() / 10), fresh);
        List<ClusterNode> out = new ArrayList<>();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int iterations = wanted * 3;
        while (fresh > 0 && out.size() < wanted && iterations-- > 0) {
            ClusterNode n = all.get(rnd.nextInt(all.size()));
            if (n.isMyself() || n.timedOut()) {
                continue;
            }
            if (n.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR) || (n.link == null && n.numSlots == 0)) {
                fresh--;
                continue;
            }
            if (out.contains(n)) {
                continue;
            }
            out.add(n);
            fresh--;
        }
        for (ClusterNode n : all) {
            if (n.timedOut() && !n.has(ClusterNode.HANDSHAKE | ClusterNode.NOADDR) && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    static void writeEntry(BusMessage.Builder b, int off, ClusterNode n) {
        b.text(off, n.name, BusMessage.NAME);
        b.u32(off + 40, n.pingSent / 1000);
        b.u32(off + 44, n.pongReceived / 1000);
        b.text(off + 48, n.ip, BusMessage.IP - 1);
        b.u16(off + 94, n.port);
        b.u16(off + 96, n.cport);
        b.u16(off + 98, n.flags);
        b.u16(off + 100, n.pport);
    }

    /**
     * Hostname and human nodename when set, forgotten nodes still blacklisted, and always the shard id, as Redis
     * 7.2 sends them; a receiver known to be a Redis 7.0 node ({@code to.hostnameExtensionOnly}) gets only the
     * hostname, the one extension 7.0 reads (it skips the others, but logs a warning for each, twice a second).
     */
    static List<byte[]> extensions(Cluster cluster, long now, ClusterNode to) {
        ClusterState state = cluster.state;
        ClusterNode me = state.myself;
        List<byte[]> out = new ArrayList<>();
        if (!me.hostname.isEmpty()) {
            out.add(stringExt(BusMessage.EXT_HOSTNAME, me.hostname));
        }
        if (to != null && to.hostnameExtensionOnly) {
            return out;
        }
        if (!me.humanNodename.isEmpty()) {
            out.add(stringExt(BusMessage.EXT_HUMAN_NODENAME, me.humanNodename));
        }
        long nowSeconds = now / 1000;
        for (Map.Entry<String, Long> e : state.blacklist.entrySet()) {
            if (e.getValue() >= nowSeconds) {
                ByteBuffer b = ext(BusMessage.EXT_FORGOTTEN_NODE, 48);
                b.put(8, e.getKey().getBytes(StandardCharsets.ISO_8859_1));
                b.putLong(48, e.getValue() - nowSeconds);
                out.add(b.array());
            }
        }
        ByteBuffer shard = ext(BusMessage.EXT_SHARDID, 40);
        shard.put(8, me.shardId.getBytes(StandardCharsets.ISO_8859_1));
        out.add(shard.array());
        return out;
    }

    private static byte[] stringExt(int type, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ext(type, bytes.length + 1);
        b.put(8, bytes);
        return b.array();
    }

    /** An extension: u32 total length (8-aligned), u16 type, u16 unused, then the zero-padded body. */
    private static ByteBuffer ext(int type, int bodyLen) {
        int len = 8 + ((bodyLen + 7) & ~7);
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(0, len);
        b.putShort(4, (short) type);
        return b;
    }
}
