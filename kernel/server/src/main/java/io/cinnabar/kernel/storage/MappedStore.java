package io.cinnabar.kernel.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's string values in Chronicle Map files under {@code <dir>/mapped/db<N>/}: three size classes
 * ({@code s0.cmap} up to 128 bytes, {@code s1.cmap} up to 4 KB, {@code s2.cmap} up to 512 KB) and the TTLs of
 * the database's keys ({@code ttl.cmap}). A value the maps cannot take (other types, {@code RawString}s that
 * commands modify in place, strings over 512 KB, a class that is full) stays on the heap and is written to
 * {@code spill.bin} only at a clean shutdown. Maps are opened on the first write.
 */
final class MappedStore implements ValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(MappedStore.class);
    static final int[] CLASS_LIMIT = {128, 4096, 512 * 1024};
    private static final double[] CLASS_AVERAGE = {24, 1024, 64 * 1024};
    private static final double AVERAGE_KEY = 16;
    private static final double MAX_BLOAT = 4;

    private Path dir;
    private final long maxKeys;
    private final boolean recover;
    @SuppressWarnings("unchecked")
    private final ChronicleMap<byte[], byte[]>[] classes = new ChronicleMap[CLASS_LIMIT.length];
    private ChronicleMap<byte[], Long> ttls;
    private boolean fullWarned;
    private boolean ttlFullWarned;

    MappedStore(Path dir, long maxKeys, boolean recover) {
        this.dir = dir;
        this.maxKeys = maxKeys;
        this.recover = recover;
    }

    Path dir() {
        return dir;
    }

    static int sizeClass(int length) {
        for (int c = 0; c < CLASS_LIMIT.length; c++) {
            if (length <= CLASS_LIMIT[c]) {
                return c;
            }
        }
        return -1;
    }

    private long classEntries(int c) {
        return Math.max(1024, c == 0 ? maxKeys : c == 1 ? maxKeys / 16 : maxKeys / 1024);
    }

    ChronicleMap<byte[], byte[]> classMap(int c) {
        ChronicleMap<byte[], byte[]> m = classes[c];
        if (m == null) {
            m = classes[c] = open(ChronicleMap.of(byte[].class, byte[].class).name("cinnabar-s" + c)
                    .entries(classEntries(c)).averageKeySize(AVERAGE_KEY).averageValueSize(CLASS_AVERAGE[c])
                    .maxBloatFactor(MAX_BLOAT), "s" + c + ".cmap");
        }
        return m;
    }

    ChronicleMap<byte[], Long> ttlMap() {
        if (ttls == null) {
            ttls = open(ChronicleMap.of(byte[].class, Long.class).name("cinnabar-ttl").entries(Math.max(1024, maxKeys))
                    .averageKeySize(AVERAGE_KEY).maxBloatFactor(MAX_BLOAT), "ttl.cmap");
        }
        return ttls;
    }

    /** True when the file of class {@code c} (or of the TTLs, for -1) exists. */
    boolean hasFile(String name) {
        return Files.exists(dir.resolve(name));
    }

    private <K, V> ChronicleMap<K, V> open(net.openhft.chronicle.map.ChronicleMapBuilder<K, V> b, String name) {
        try {
            Files.createDirectories(dir);
            File f = dir.resolve(name).toFile();
            if (recover && f.exists()) {
                // after an unclean stop a segment lock may still be held by the dead process
                return b.recoverPersistedTo(f, false,
                        c -> LOG.warn("mapped engine recovery of {}: {}", f, c.message()));
            }
            return b.createPersistedTo(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + dir.resolve(name), e);
        }
    }

    @Override
    public Object put(byte[] key, Object value, Object previous) {
        int c = value instanceof byte[] b ? sizeClass(b.length) : -1;
        if (previous instanceof OffHeapValue h && h.sizeClass != c) {
            classMap(h.sizeClass).remove(key);
        }
        if (c < 0) {
            return value;
        }
        try {
            classMap(c).put(key, (byte[]) value);
            return OffHeapValue.CLASSES[c];
        } catch (IllegalStateException | IllegalArgumentException full) {
            // capacity is fixed at creation: past it the value stays on the heap (and is spilled at shutdown)
            if (!fullWarned) {
                fullWarned = true;
                LOG.warn("mapped engine: size class {} of {} is full ({}); further values stay on the heap", c, dir,
                        String.valueOf(full.getMessage()).lines().findFirst().orElse(""));
            }
            if (previous instanceof OffHeapValue h && h.sizeClass == c) {
                classMap(c).remove(key);
            }
            return value;
        }
    }

    @Override
    public Object load(byte[] key, Object stored) {
        if (stored instanceof OffHeapValue h) {
            return classMap(h.sizeClass).get(key);
        }
        return stored;
    }

    @Override
    public void remove(byte[] key, Object stored) {
        if (stored instanceof OffHeapValue h) {
            classMap(h.sizeClass).remove(key);
        }
    }

    @Override
    public Object expire(byte[] key, Object stored, long unixMillis) {
        if (unixMillis == -1) {
            if (ttls != null || hasFile("ttl.cmap")) {
                ttlMap().remove(key);
            }
            return stored;
        }
        try {
            ttlMap().put(key, unixMillis);
            return stored;
        } catch (IllegalStateException | IllegalArgumentException full) {
            // the TTL map is full: a value whose TTL a restart could not restore must not outlive a crash
            // without it, so it moves to the heap (a clean shutdown spills it with its TTL)
            if (!ttlFullWarned) {
                ttlFullWarned = true;
                LOG.warn("mapped engine: the TTL map of {} is full ({}); values with a TTL stay on the heap", dir,
                        String.valueOf(full.getMessage()).lines().findFirst().orElse(""));
            }
            if (stored instanceof OffHeapValue h) {
                ChronicleMap<byte[], byte[]> m = classMap(h.sizeClass);
                byte[] value = m.get(key);
                m.remove(key);
                return value;
            }
            return stored;
        }
    }

    @Override
    public void clear() {
        for (ChronicleMap<byte[], byte[]> m : classes) {
            if (m != null) {
                m.clear();
            }
        }
        if (ttls != null) {
            ttls.clear();
        }
    }

    @Override
    public void exchangeWith(ValueStore other) {
        MappedStore o = (MappedStore) other;
        // open maps keep their mappings across a rename; the directory names say which database owns the files
        try {
            Path tmp = dir.resolveSibling(dir.getFileName() + ".swap");
            boolean mine = Files.exists(dir);
            boolean theirs = Files.exists(o.dir);
            if (mine) {
                Files.move(dir, tmp, StandardCopyOption.ATOMIC_MOVE);
            }
            if (theirs) {
                Files.move(o.dir, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            if (mine) {
                Files.move(tmp, o.dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("SWAPDB of the mapped engine's files", e);
        }
        Path d = dir;
        dir = o.dir;
        o.dir = d;
    }

    /** Closes the maps (their content stays in the files). */
    void close() {
        for (int c = 0; c < classes.length; c++) {
            if (classes[c] != null) {
                classes[c].close();
                classes[c] = null;
            }
        }
        if (ttls != null) {
            ttls.close();
            ttls = null;
        }
    }
}
