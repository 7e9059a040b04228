package io.cinnabar.kernel.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as this node knows it (Redis's clusterState): the nodes, who owns each of the 16384 slots,
 * open (migrating / importing) slots, epochs and the bus message counters. Plain data with the slot and
 * node-table operations; the protocol lives in {@link Cluster}.
 */
public final class ClusterState {
    public static final int SLOTS = KeySlot.SLOTS;
    /** Forgotten nodes stay blacklisted this long (CLUSTER_BLACKLIST_TTL, seconds). */
    static final long BLACKLIST_TTL_SECONDS = 60;

    ClusterNode myself;
    final Map<String, ClusterNode> nodes = new LinkedHashMap<>();
    final ClusterNode[] slots = new ClusterNode[SLOTS];
    final ClusterNode[] migratingTo = new ClusterNode[SLOTS];
    final ClusterNode[] importingFrom = new ClusterNode[SLOTS];
    /** Slots still bound to an owner that stopped claiming them (Redis's owner_not_claiming_slot). */
    final BitSet ownerNotClaiming = new BitSet(SLOTS);
    long currentEpoch;
    long lastVoteEpoch;
    boolean ok;
    int size;
    final long[] sent = new long[BusMessage.TYPE_COUNT];
    final long[] received = new long[BusMessage.TYPE_COUNT];
    /** Node id -> unix seconds until which gossip about it is ignored (CLUSTER FORGET). */
    final Map<String, Long> blacklist = new HashMap<>();
    /** Counters that restart when a slot changes owner (CLUSTER SLOT-STATS); set by the Cluster. */
    SlotStats slotStats;

    /** Redis's clusterLookupNode: null unless the id is well formed and known. */
    ClusterNode lookup(String name) {
        if (name == null || !NodeIds.valid(name)) {
            return null;
        }
        return nodes.get(name);
    }

    Collection<ClusterNode> all() {
        return nodes.values();
    }

    void add(ClusterNode n) {
        nodes.put(n.name, n);
    }

    /** Redis's clusterDelNode: open slots, failure reports and replica lists forget the node too. */
    void delete(ClusterNode n) {
        for (int j = 0; j < SLOTS; j++) {
            if (importingFrom[j] == n) {
                importingFrom[j] = null;
            }
            if (migratingTo[j] == n) {
                migratingTo[j] = null;
            }
            if (slots[j] == n) {
                delSlot(j);
            }
        }
        for (ClusterNode other : nodes.values()) {
            other.removeFailureReport(n);
            if (other.master == n) {
                other.master = null;
            }
        }
        if (n.master != null) {
            n.master.removeReplica(n);
        }
        nodes.remove(n.name);
    }

    void rename(ClusterNode n, String newName) {
        nodes.remove(n.name);
        n.name = newName;
        nodes.put(newName, n);
    }

    boolean addSlot(ClusterNode n, int slot) {
        if (slots[slot] != null) {
            return false;
        }
        slots[slot] = n;
        n.numSlots++;
        if (slotStats != null) {
            slotStats.reset(slot);
        }
        ownerNotClaiming.clear(slot);
        return true;
    }

    boolean delSlot(int slot) {
        ClusterNode n = slots[slot];
        if (n == null) {
            return false;
        }
        n.numSlots--;
        slots[slot] = null;
        if (slotStats != null) {
            slotStats.reset(slot);
        }
        ownerNotClaiming.clear(slot);
        return true;
    }

    int delNodeSlots(ClusterNode n) {
        int deleted = 0;
        for (int j = 0; j < SLOTS; j++) {
            if (slots[j] == n) {
                delSlot(j);
                deleted++;
            }
        }
        return deleted;
    }

    /** Redis's isSlotUnclaimed. */
    boolean unclaimed(int slot) {
        return slots[slot] == null || ownerNotClaiming.get(slot);
    }

    /** The node's slots as [start, end] pairs of maximal runs, ascending (slot_info_pairs). */
    int[] ranges(ClusterNode n) {
        List<Integer> out = new ArrayList<>();
        int start = -1;
        for (int j = 0; j <= SLOTS; j++) {
            boolean mine = j < SLOTS && slots[j] == n;
            if (mine && start < 0) {
                start = j;
            } else if (!mine && start >= 0) {
                out.add(start);
                out.add(j - 1);
                start = -1;
            }
        }
        int[] r = new int[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = out.get(i);
        }
        return r;
    }

    /** The node's claimed slots as the bus bitmap (2048 bytes, slot s = byte s/8, bit s&7). */
    byte[] bitmap(ClusterNode n) {
        byte[] b = new byte[SLOTS / 8];
        if (n == null) {
            return b;
        }
        for (int j = 0; j < SLOTS; j++) {
            if (slots[j] == n) {
                b[j >> 3] |= (byte) (1 << (j & 7));
            }
        }
        return b;
    }

    static boolean bit(byte[] bitmap, int slot) {
        return (bitmap[slot >> 3] & (1 << (slot & 7))) != 0;
    }

    /** Redis's clusterGetMaxEpoch: the greatest config epoch known, or the current epoch if greater. */
    long maxEpoch() {
        long max = currentEpoch;
        for (ClusterNode n : nodes.values()) {
            max = Math.max(max, n.configEpoch);
        }
        return max;
    }

    /** Makes {@code replica} a replica of {@code master} in the table (role, lists, slots). */
    void setReplicaOf(ClusterNode replica, ClusterNode master) {
        if (replica.isMaster()) {
            delNodeSlots(replica);
            replica.flags &= ~(ClusterNode.MASTER | ClusterNode.MIGRATE_TO);
            replica.flags |= ClusterNode.SLAVE;
        }
        if (replica.master != master) {
            if (replica.master != null) {
                replica.master.removeReplica(replica);
            }
            replica.master = master;
            if (master != null) {
                master.addReplica(replica);
            }
        }
    }

    /** Redis's clusterSetNodeAsMaster. */
    void setMaster(ClusterNode n) {
        if (n.isMaster()) {
            return;
        }
        if (n.master != null) {
            n.master.removeReplica(n);
            if (n != myself) {
                n.flags |= ClusterNode.MIGRATE_TO;
            }
        }
        n.flags &= ~ClusterNode.SLAVE;
        n.flags |= ClusterNode.MASTER;
        n.master = null;
    }

    boolean blacklisted(String name, long nowSeconds) {
        blacklist.values().removeIf(until -> until < nowSeconds);
        return blacklist.containsKey(name);
    }

    void blacklist(String name, long nowSeconds) {
        blacklist.put(name, nowSeconds + BLACKLIST_TTL_SECONDS);
    }

    /** Every node, as a copy that is safe against removal while iterating. */
    List<ClusterNode> snapshot() {
        return new ArrayList<>(nodes.values());
    }
}
