package io.cinnabar.kernel.storage;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.persistence.DumpPayload;
import io.cinnabar.kernel.persistence.ValueCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mapped} engine: string values in Chronicle Map files under {@code <dir>/mapped/} (see
 * {@link MappedStore}), so they live off the Java heap and outlive the process.
 *
 * <p>Warm restart: a clean shutdown writes the values that stayed on the heap into each database's
 * {@code spill.bin}, closes every map and leaves the {@code clean} marker. The next start rebuilds the dicts from
 * the maps' keys (values stay in the files), the TTL maps and the spill maps, and loads no RDB/AOF. The marker is
 * removed as soon as the maps are open again, so a process that dies afterwards leaves none: the next start
 * reopens the files with {@code recoverPersistedTo} (which clears segment locks a dead writer held) and rebuilds
 * from them. The values in the maps then are those of the moment of the crash (they sit in page-cache pages the
 * OS writes back; an OS crash or power loss can lose them, as nothing is fsynced); values that lived only on the
 * heap since the last clean shutdown are lost.
 *
 * <p>With {@code appendonly yes} the AOF is the source, as in Redis: the clean marker also records the AOF's
 * {@link io.cinnabar.kernel.persistence.AofFingerprint fingerprint} at shutdown, and the maps are kept only when
 * the AOF found at the next start has that same fingerprint (then it holds nothing the maps lack and is not
 * replayed). After an unclean stop, or when the AOF changed, the maps are discarded and the AOF replays into
 * fresh ones, so nothing is applied twice and nothing the AOF acknowledged is lost. Without an AOF on disk the
 * maps are kept as without appendonly, and the AOF created at startup starts from what they hold.
 */
public final class MappedEngine implements StorageEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MappedEngine.class);
    static final String MARKER = "clean";
    private static final String SPILL = "spill.bin";
    /** Opens a spill file whose entries carry their TTL (a count comes first in the older form). */
    private static final int SPILL_WITH_TTL = -1;

    private final Path root;
    private final long maxKeys;
    private final boolean recover;
    private final Supplier<String> aofFingerprint;
    private final List<MappedStore> stores = new ArrayList<>();

    /**
     * The engine over {@code <dir>/mapped}; {@code maxKeys} sizes the smallest class (the others from it).
     * {@code aofFingerprint} gives the fingerprint of the AOF on disk while {@code appendonly} is on, else null.
     */
    public MappedEngine(Path dir, long maxKeys, Supplier<String> aofFingerprint) {
        this.root = dir.resolve("mapped");
        this.maxKeys = maxKeys;
        this.aofFingerprint = aofFingerprint;
        String aof = aofFingerprint.get();
        if (aof != null && Files.isDirectory(root) && !aofMatches(aof)) {
            discard(root);
        }
        // files without the marker were left by a process that did not shut down cleanly
        this.recover = Files.isDirectory(root) && !Files.exists(root.resolve(MARKER));
    }

    /** True when the maps were closed cleanly with this very AOF on disk. */
    private boolean aofMatches(String aof) {
        try {
            return Files.readString(root.resolve(MARKER)).lines().anyMatch(("aof " + aof)::equals);
        } catch (IOException e) {
            return false; // no marker: an unclean stop
        }
    }

    private static void discard(Path root) {
        LOG.warn("mapped engine: the maps in {} are not known to equal the AOF (an unclean stop, or the AOF "
                + "changed since the last clean shutdown): they are discarded and the AOF is loaded", root);
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }

    @Override
    public String name() {
        return "mapped";
    }

    @Override
    public ValueStore valueStore(int db) {
        while (stores.size() <= db) {
            stores.add(new MappedStore(root.resolve("db" + stores.size()), maxKeys, recover));
        }
        return stores.get(db);
    }

    @Override
    public boolean restore(Database[] dbs, ValueCodec codec) {
        if (!Files.isDirectory(root)) {
            // Chronicle's first map costs seconds (class loading, runtime compilation): pay it at startup, not
            // on the first write
            ((MappedStore) dbs[0].valueStore()).classMap(0, 0);
            return false;
        }
        boolean clean = !recover;
        long start = System.nanoTime();
        long restored = 0;
        for (Database db : dbs) {
            restored += restore(db, (MappedStore) db.valueStore(), codec, clean);
        }
        try {
            Files.deleteIfExists(root.resolve(MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root.resolve(MARKER), e);
        }
        LOG.info("mapped engine: {} restart, {} keys restored from {} in {} ms", clean ? "warm" : "recovered",
                restored, root, (System.nanoTime() - start) / 1_000_000);
        if (!clean) {
            LOG.warn("mapped engine: the last shutdown was not clean: string values were recovered from the maps; "
                    + "values that were held on the heap (other types, modified strings) are lost");
        }
        return true;
    }

    private long restore(Database db, MappedStore store, ValueCodec codec, boolean clean) {
        long n = 0;
        // the spill first: a value held on the heap at the shutdown is newer than a copy a map may still have
        Path spill = store.dir().resolve(SPILL);
        if (Files.exists(spill)) {
            if (clean) {
                n += restoreSpill(db, spill, codec);
            }
            try {
                Files.delete(spill);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + spill, e);
            }
        }
        for (int c = 0; c < MappedStore.CLASS_LIMIT.length; c++) {
            // newest generation first: a key found again in an older one is a copy a crash left behind
            for (int g = store.generations(c) - 1; g >= 0; g--) {
                if (!store.hasFile(MappedStore.fileName(c, g))) {
                    continue;
                }
                Object handle = OffHeapValue.of(c, g);
                ChronicleMap<byte[], byte[]> m = store.classMap(c, g);
                List<byte[]> stale = new ArrayList<>();
                for (byte[] key : m.keySet()) {
                    if (db.restoreEntry(key, handle)) {
                        n++;
                    } else {
                        stale.add(key);
                    }
                }
                for (byte[] key : stale) {
                    m.remove(key);
                }
            }
        }
        if (store.hasFile("ttl.cmap")) {
            ChronicleMap<byte[], Long> ttls = store.ttlMap();
            List<byte[]> stale = new ArrayList<>();
            for (Map.Entry<byte[], Long> e : ttls.entrySet()) {
                if (!db.restoreExpire(e.getKey(), e.getValue())) {
                    stale.add(e.getKey()); // the TTL of a heap value lost in a crash
                }
            }
            for (byte[] k : stale) {
                ttls.remove(k);
            }
        }
        return n;
    }

    private static long restoreSpill(Database db, Path spill, ValueCodec codec) {
        long n = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spill)))) {
            int count = in.readInt();
            boolean withTtl = count == SPILL_WITH_TTL;
            if (withTtl) {
                count = in.readInt();
            }
            for (int i = 0; i < count; i++) {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                long ttl = withTtl ? in.readLong() : -1;
                Object value = DumpPayload.load(payload, codec);
                db.restoreEntry(key, value); // on the heap again, as at the shutdown
                if (ttl != -1) {
                    db.setExpire(key, ttl); // mirrored again, or kept on the heap if the TTL map is still full
                }
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + spill, e);
        }
        return n;
    }

    @Override
    public void shutdown(Database[] dbs, ValueCodec codec) {
        try {
            for (Database db : dbs) {
                spill(db, (MappedStore) db.valueStore(), codec);
            }
            for (MappedStore s : stores) {
                s.close();
            }
            if (Files.isDirectory(root)) {
                String aof = aofFingerprint.get(); // the AOF was flushed and fsynced by SHUTDOWN's preparation
                Files.writeString(root.resolve(MARKER), "clean shutdown\n" + (aof == null ? "" : "aof " + aof + "\n"));
            }
        } catch (IOException e) {
            LOG.warn("mapped engine: shutdown without the clean marker ({}); the next start recovers the maps",
                    e.toString());
        }
    }

    /**
     * Writes the values that stayed on the heap (as DUMP payloads) into the database's spill file: -1, a count, then
     * (key length, key, payload length, payload, TTL or -1) per value.
     */
    private static void spill(Database db, MappedStore store, ValueCodec codec) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        IOException[] failure = new IOException[1];
        db.forEachStoredEntry((key, stored) -> {
            if (!ValueStore.isHandle(stored) && failure[0] == null) {
                try {
                    payloads.add(DumpPayload.create(stored, codec, false));
                    keys.add(key);
                    ttls.add(db.getExpire(key));
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        Path spill = store.dir().resolve(SPILL);
        Files.deleteIfExists(spill);
        if (keys.isEmpty()) {
            return;
        }
        Files.createDirectories(store.dir());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spill)))) {
            out.writeInt(SPILL_WITH_TTL);
            out.writeInt(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                out.writeInt(keys.get(i).length);
                out.write(keys.get(i));
                out.writeInt(payloads.get(i).length);
                out.write(payloads.get(i));
                out.writeLong(ttls.get(i));
            }
        }
    }

    @Override
    public String describe() {
        return "mapped (Chronicle Map files in " + root + (recover ? ", recovered after an unclean stop)" : ")");
    }
}
