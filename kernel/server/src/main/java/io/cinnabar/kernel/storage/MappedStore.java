package io.cinnabar.kernel.storage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database's string values in Chronicle Map files under {@code <dir>/mapped/db<N>/}: three size classes
 * ({@code s0.cmap} up to 128 bytes, {@code s1.cmap} up to 4 KB, {@code s2.cmap} up to 512 KB) and the TTLs of
 * the database's keys ({@code ttl.cmap}). A value the maps cannot take (other types, {@code RawString}s that
 * commands modify in place, strings over 512 KB, a class that is full) stays on the heap and is written to
 * {@code spill.bin} only at a clean shutdown. Maps are opened on the first write.
 *
 * <p>A Chronicle Map's capacity is fixed when its file is created, so each size class grows by generations:
 * once the newest map of a class is half full, a background thread creates the next one ({@code s0.g1.cmap},
 * twice the capacity, made under a temporary name and renamed when complete) and new values go there as soon
 * as it is ready, without the execution thread ever waiting for a file. A key rewritten later moves to the
 * newest generation; a handle in the dict names the generation that holds the value.
 */
final class MappedStore implements ValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(MappedStore.class);
    static final int[] CLASS_LIMIT = {128, 4096, 512 * 1024};
    private static final double[] CLASS_AVERAGE = {24, 1024, 64 * 1024};
    private static final double AVERAGE_KEY = 16;
    private static final double MAX_BLOAT = 4;
    /** The fill of the newest generation (entries over its configured entries) that starts the next one. */
    private static final double GROW_AT = 0.5;
    private static final long MAX_ENTRIES = 1L << 34;
    /** Creates the next generations, one file at a time, off the execution thread. */
    private static final ExecutorService GROWER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cinnabar-mapped-grow");
        t.setDaemon(true);
        return t;
    });

    private Path dir;
    private final long maxKeys;
    private final boolean recover;
    @SuppressWarnings("unchecked")
    private final ChronicleMap<byte[], byte[]>[][] maps =
            new ChronicleMap[CLASS_LIMIT.length][OffHeapValue.GENERATIONS];
    /** The generation new values of each class go to. */
    private final int[] newest = new int[CLASS_LIMIT.length];
    /** Puts into the newest generation since its fill was last checked. */
    private final long[] putsSinceCheck = new long[CLASS_LIMIT.length];
    @SuppressWarnings("unchecked")
    private final Future<ChronicleMap<byte[], byte[]>>[] growing = new Future[CLASS_LIMIT.length];
    private ChronicleMap<byte[], Long> ttls;
    private boolean fullWarned;
    private boolean ttlFullWarned;

    MappedStore(Path dir, long maxKeys, boolean recover) {
        this.dir = dir;
        this.maxKeys = maxKeys;
        this.recover = recover;
        for (int c = 0; c < CLASS_LIMIT.length; c++) {
            for (int g = 0; g < OffHeapValue.GENERATIONS; g++) {
                try {
                    Files.deleteIfExists(dir.resolve(fileName(c, g) + ".tmp")); // a creation a crash interrupted
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove a partial map in " + dir, e);
                }
                if (hasFile(fileName(c, g))) {
                    newest[c] = g;
                }
            }
        }
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

    static String fileName(int c, int g) {
        return g == 0 ? "s" + c + ".cmap" : "s" + c + ".g" + g + ".cmap";
    }

    /** The configured entries of generation {@code g} of class {@code c}: the first from maxKeys, then doubling. */
    private long entries(int c, int g) {
        long first = Math.max(1024, c == 0 ? maxKeys : c == 1 ? maxKeys / 16 : maxKeys / 1024);
        return Math.min(MAX_ENTRIES, first << g);
    }

    /** The generations of class {@code c} that may hold values: 0 to the newest. */
    int generations(int c) {
        return newest[c] + 1;
    }

    ChronicleMap<byte[], byte[]> classMap(int c, int g) {
        ChronicleMap<byte[], byte[]> m = maps[c][g];
        if (m == null) {
            m = maps[c][g] = open(builder(c, g), fileName(c, g));
        }
        return m;
    }

    private ChronicleMap<byte[], byte[]> map(OffHeapValue h) {
        return classMap(h.sizeClass, h.generation);
    }

    private net.openhft.chronicle.map.ChronicleMapBuilder<byte[], byte[]> builder(int c, int g) {
        return ChronicleMap.of(byte[].class, byte[].class).name("cinnabar-s" + c + "-g" + g).entries(entries(c, g))
                .averageKeySize(AVERAGE_KEY).averageValueSize(CLASS_AVERAGE[c]).maxBloatFactor(MAX_BLOAT);
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
        Object result = c < 0 ? value : store(c, key, (byte[]) value);
        if (previous instanceof OffHeapValue h && h != result) {
            map(h).remove(key); // after the new copy is written: a crash in between leaves the newer one too
        }
        return result;
    }

    /** Writes into the newest generation of class {@code c}: its handle, or the value itself when it is full. */
    private Object store(int c, byte[] key, byte[] value) {
        adoptGrown(c);
        int g = newest[c];
        try {
            classMap(c, g).put(key, value);
        } catch (IllegalStateException | IllegalArgumentException full) {
            // the next generation is not ready yet (or there is none): the value stays on the heap meanwhile
            if (!fullWarned) {
                fullWarned = true;
                LOG.warn("mapped engine: size class {} of {} is full ({}); values stay on the heap until a larger "
                        + "map is ready", c, dir, String.valueOf(full.getMessage()).lines().findFirst().orElse(""));
            }
            startGrowing(c);
            return value;
        }
        if (++putsSinceCheck[c] >= Math.max(64, entries(c, g) / 16)) {
            putsSinceCheck[c] = 0;
            if (classMap(c, g).longSize() > GROW_AT * entries(c, g)) {
                startGrowing(c);
            }
        }
        return OffHeapValue.of(c, g);
    }

    /** Starts creating the next generation of class {@code c} in the background, unless it is under way. */
    private void startGrowing(int c) {
        int g = newest[c] + 1;
        if (growing[c] != null || g >= OffHeapValue.GENERATIONS || entries(c, g) == entries(c, g - 1)) {
            return;
        }
        Path file = dir.resolve(fileName(c, g));
        net.openhft.chronicle.map.ChronicleMapBuilder<byte[], byte[]> b = builder(c, g);
        growing[c] = GROWER.submit(() -> {
            // complete under a temporary name, so a crash never leaves a half-made map under the real one; then
            // opened again by the real name, which Chronicle uses when it maps more of the file later
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            b.createPersistedTo(tmp.toFile()).close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return b.createPersistedTo(file.toFile());
        });
    }

    /** Takes the next generation once it is ready; {@code wait} blocks until it is (SWAPDB, shutdown). */
    private void adoptGrown(int c, boolean wait) {
        Future<ChronicleMap<byte[], byte[]>> f = growing[c];
        if (f == null || (!wait && !f.isDone())) {
            return;
        }
        growing[c] = null;
        try {
            int g = newest[c] + 1;
            maps[c][g] = f.get();
            newest[c] = g;
            putsSinceCheck[c] = 0;
            fullWarned = false;
            LOG.info("mapped engine: size class {} of {} grew to generation {} ({} entries)", c, dir, g, entries(c, g));
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("mapped engine: cannot create the next map of size class {} in {}: {}", c, dir, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void adoptGrown(int c) {
        adoptGrown(c, false);
    }

    private void adoptAllGrown() {
        for (int c = 0; c < CLASS_LIMIT.length; c++) {
            adoptGrown(c, true);
        }
    }

    @Override
    public Object load(byte[] key, Object stored) {
        if (stored instanceof OffHeapValue h) {
            return map(h).get(key);
        }
        return stored;
    }

    @Override
    public void remove(byte[] key, Object stored) {
        if (stored instanceof OffHeapValue h) {
            map(h).remove(key);
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
                ChronicleMap<byte[], byte[]> m = map(h);
                byte[] value = m.get(key);
                m.remove(key);
                return value;
            }
            return stored;
        }
    }

    @Override
    public void clear() {
        adoptAllGrown();
        for (int c = 0; c < CLASS_LIMIT.length; c++) {
            for (int g = 0; g <= newest[c]; g++) {
                if (maps[c][g] != null || hasFile(fileName(c, g))) {
                    classMap(c, g).clear();
                }
            }
        }
        if (ttls != null) {
            ttls.clear();
        }
    }

    @Override
    public void exchangeWith(ValueStore other) {
        MappedStore o = (MappedStore) other;
        adoptAllGrown(); // no file is being created under a directory about to be renamed
        o.adoptAllGrown();
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
        adoptAllGrown();
        for (ChronicleMap<byte[], byte[]>[] generations : maps) {
            for (int g = 0; g < generations.length; g++) {
                if (generations[g] != null) {
                    generations[g].close();
                    generations[g] = null;
                }
            }
        }
        if (ttls != null) {
            ttls.close();
            ttls = null;
        }
    }
}
