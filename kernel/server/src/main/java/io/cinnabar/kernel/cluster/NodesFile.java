package io.cinnabar.kernel.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * nodes.conf (Redis's clusterLoadConfig / clusterSaveConfig): the CLUSTER NODES lines with aux fields plus a
 * {@code vars} line, written whole to a temporary file, optionally fsynced, and renamed over the old one.
 */
final class NodesFile {
    /** Several nodes may share a process (tests): temporary names never collide. */
    private static final java.util.concurrent.atomic.AtomicLong SAVES = new java.util.concurrent.atomic.AtomicLong();
    private final Path path;
    private FileChannel lockChannel;
    private FileLock lock;

    NodesFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /**
     * Loads the file into {@code state}. Returns false when it is missing or empty (a new node); throws
     * {@link IllegalStateException} with Redis's message when a line cannot be understood.
     */
    boolean load(ClusterState state, long now) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) {
            return false;
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f[0].equals("vars")) {
                for (int i = 1; i + 1 < f.length; i += 2) {
                    switch (f[i]) {
                        case "currentEpoch" -> state.currentEpoch = Long.parseLong(f[i + 1]);
                        case "lastVoteEpoch" -> state.lastVoteEpoch = Long.parseLong(f[i + 1]);
                        default -> throw invalid(line);
                    }
                }
                continue;
            }
            if (f.length < 8 || !NodeIds.valid(f[0])) {
                throw invalid(line);
            }
            ClusterNode n = nodeFor(state, f[0], now);
            parseAddress(n, f[1], line);
            for (String word : f[2].split(",")) {
                int flag = ClusterNode.flagOf(word);
                if (flag < 0) {
                    throw new IllegalStateException("Unknown flag in redis cluster config file");
                }
                n.flags |= flag;
                if (flag == ClusterNode.MYSELF) {
                    state.myself = n;
                } else if (flag == ClusterNode.FAIL) {
                    n.failTime = now;
                }
            }
            if (!f[3].equals("-")) {
                ClusterNode master = nodeFor(state, f[3], now);
                n.master = master;
                master.addReplica(n);
            }
            n.pingSent = Long.parseLong(f[4]) != 0 ? now : 0;
            n.pongReceived = Long.parseLong(f[5]) != 0 ? now : 0;
            n.configEpoch = n.isReplica() ? 0 : Long.parseLong(f[6]);
            for (int i = 8; i < f.length; i++) {
                parseSlot(state, n, f[i], now, line);
            }
        }
        if (state.myself == null) {
            throw new IllegalStateException("Unrecoverable error: corrupted cluster config file \"" + path
                    + "\": myself node not found.");
        }
        return true;
    }

    private static ClusterNode nodeFor(ClusterState state, String name, long now) {
        ClusterNode n = state.nodes.get(name);
        if (n == null) {
            n = new ClusterNode(name, 0, now);
            state.add(n);
        }
        return n;
    }

    private static void parseAddress(ClusterNode n, String field, String line) {
        String[] parts = field.split(",", -1);
        String addr = parts[0];
        int at = addr.lastIndexOf('@');
        String hostPort = at >= 0 ? addr.substring(0, at) : addr;
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(line);
        }
        n.ip = hostPort.substring(0, colon);
        n.port = Integer.parseInt(hostPort.substring(colon + 1));
        n.cport = at >= 0 ? Integer.parseInt(addr.substring(at + 1)) : n.port + Cluster.PORT_INCR;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            if (eq < 0) {
                if (i == 1) {
                    n.hostname = p;
                    continue;
                }
                throw invalid(line);
            }
            String value = p.substring(eq + 1);
            switch (p.substring(0, eq)) {
                case "shard-id" -> n.shardId = value;
                case "nodename" -> n.humanNodename = value;
                case "tls-port", "tcp-port" -> {
                }
                default -> throw invalid(line);
            }
        }
    }

    private static void parseSlot(ClusterState state, ClusterNode n, String token, long now, String line) {
        if (token.startsWith("[")) {
            int arrow = token.indexOf("->-");
            boolean migrating = arrow > 0;
            if (!migrating) {
                arrow = token.indexOf("-<-");
            }
            if (arrow < 0 || !token.endsWith("]")) {
                throw invalid(line);
            }
            int slot = Integer.parseInt(token.substring(1, arrow));
            ClusterNode peer = nodeFor(state, token.substring(arrow + 3, token.length() - 1), now);
            if (migrating) {
                state.migratingTo[slot] = peer;
            } else {
                state.importingFrom[slot] = peer;
            }
            return;
        }
        int dash = token.indexOf('-');
        int start = Integer.parseInt(dash < 0 ? token : token.substring(0, dash));
        int end = dash < 0 ? start : Integer.parseInt(token.substring(dash + 1));
        if (start < 0 || end >= ClusterState.SLOTS || start > end) {
            throw invalid(line);
        }
        for (int s = start; s <= end; s++) {
            state.addSlot(n, s);
        }
    }

    private static IllegalStateException invalid(String line) {
        return new IllegalStateException("Unrecoverable error: corrupted cluster config file \"" + line + "\".");
    }

    /** Redis's clusterSaveConfig: temp file, optional fsync, rename, directory fsync. */
    synchronized void save(ClusterState state, boolean fsync) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ClusterNode n : state.all()) {
            if (!n.inHandshake()) {
                sb.append(NodeDescription.of(state, n, true)).append('\n');
            }
        }
        sb.append("vars currentEpoch ").append(state.currentEpoch).append(" lastVoteEpoch ")
                .append(state.lastVoteEpoch).append('\n');
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = dir.resolve(path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis() + "-" + SAVES.incrementAndGet());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (fsync) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (fsync) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some file systems cannot open a directory for syncing; the rename is still atomic
            }
        }
    }

    /**
     * Locks the file for the process lifetime, as Redis's clusterLockConfig, so two nodes never share one
     * config file. Returns false when another node holds it.
     */
    boolean lock() throws IOException {
        lockChannel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            return false;
        }
        return true;
    }

    void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // closing at shutdown: nothing left to protect
        }
    }
}
