package io.cinnabar.kernel.persistence;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Puts an RDB file's content into the keyspace (rdbLoad's side of the keyspace): at startup the file is decoded
 * on a thread of its own and applied on the execution thread in batches, so clients meanwhile get
 * {@code -LOADING} and INFO shows the progress; DEBUG RELOAD loads synchronously. Keys whose time passed are
 * dropped as a master does, IDLE/FREQ set the access stamp under the matching policy, a duplicated key is
 * fatal unless merging.
 */
final class KeyspaceLoader {
    /** Entries handed from the loader thread to the execution thread at a time. */
    private static final int LOAD_BATCH = 1024;

    private final CinnabarServer server;
    private final ValueCodec codec;
    private final List<byte[]> functionLibraries;
    private final java.util.function.BooleanSupplier skipChecksum;
    private volatile boolean loading;
    /** A replica's diskless swapdb load of its own history's snapshot: clients keep the old dataset meanwhile. */
    private volatile boolean asyncLoading;
    private long startSeconds;
    private long totalBytes;
    private long rdbUsedMem;
    private volatile RdbLoader current;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    /** The replication history (repl-id, repl-offset aux fields) of the last RDB loaded. */
    private String loadedReplId;
    private long loadedReplOffset = -1;
    /** The repl-stream-db aux field of the last RDB loaded (0 without one): the database its stream continues in. */
    private int loadedReplStreamDb;

    KeyspaceLoader(CinnabarServer server, ValueCodec codec, List<byte[]> functionLibraries,
                   java.util.function.BooleanSupplier skipChecksum) {
        this.server = server;
        this.skipChecksum = skipChecksum;
        this.codec = codec;
        this.functionLibraries = functionLibraries;
    }

    boolean loading() {
        return loading;
    }

    boolean asyncLoading() {
        return asyncLoading;
    }

    /** The repl-id of the last RDB loaded when it also had a repl-offset, else null. */
    String loadedReplId() {
        return loadedReplOffset < 0 ? null : loadedReplId;
    }

    int loadedReplStreamDb() {
        return loadedReplStreamDb;
    }

    long loadedReplOffset() {
        return loadedReplOffset;
    }

    long startSeconds() {
        return startSeconds;
    }

    long totalBytes() {
        return totalBytes;
    }

    long rdbUsedMem() {
        return rdbUsedMem;
    }

    long loadedBytes() {
        RdbLoader l = current;
        return l == null ? 0 : l.offset();
    }

    long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }

    private RdbLoader newLoader() {
        // as rdbLoad: the trailer is checked when rdbchecksum is on and DEBUG did not switch checking off
        boolean verify = server.config().getBoolean("rdbchecksum") && !skipChecksum.getAsBoolean();
        return new RdbLoader(codec, server.databaseCount(), verify, msg -> server.log().warn("{}", msg));
    }

    private void onExec(Runnable r) {
        server.execute(r);
    }

    private void begin(long bytes) {
        loading = true;
        startProgress(bytes);
        functionLibraries.clear();
    }

    /** A load of {@code bytes} (-1: unknown) starts: what INFO reports of it, from zero. */
    private void startProgress(long bytes) {
        loadedReplStreamDb = 0;
        startSeconds = System.currentTimeMillis() / 1000;
        totalBytes = bytes;
        rdbUsedMem = 0;
        lastLoadKeysLoaded = 0;
        lastLoadKeysExpired = 0;
    }

    private void end() {
        loading = false;
        asyncLoading = false;
        current = null;
    }

    /**
     * Before the port is bound: when {@code file} exists, the server starts in the loading state (so the very
     * first client already gets {@code -LOADING}); returns whether there is a file to load.
     */
    boolean prepareStartupLoad(Path file) {
        try {
            begin(Files.size(file));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("Fatal error loading the DB, check server logs. Exiting. (" + e + ")");
        }
    }

    /**
     * Loads {@code file} (after {@link #prepareStartupLoad}), blocking the calling (main) thread, not the
     * execution thread. IllegalStateException when it cannot be loaded: the server must not serve partial data.
     */
    void loadAtStartup(Path file) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                BatchingSink sink = new BatchingSink();
                RdbLoader loader = newLoader();
                current = loader;
                loader.load(in, sink);
                sink.flush();
                onExec(() -> {
                    if (sink.failure != null) {
                        done.completeExceptionally(sink.failure); // e.g. a duplicated key
                    } else {
                        done.complete(null);
                    }
                });
            } catch (RdbLoadException | IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "cinnabar-rdb-load");
        t.start();
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            server.log().warn("{}", c.getMessage());
            server.log().warn("Fatal error loading the DB, check server logs. Exiting.");
            onExec(this::end);
            throw new IllegalStateException(c.getMessage() + "\nFatal error loading the DB, check server logs. Exiting.",
                    c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the DB", e);
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        onExec(() -> {
            end();
            ended.complete(null);
        });
        ended.join();
        server.log().info("Done loading RDB, keys loaded: {}, keys expired: {}.", lastLoadKeysLoaded,
                lastLoadKeysExpired);
        server.log().info("DB loaded from disk: {} seconds", String.format("%.3f", (System.nanoTime() - start) / 1e9));
    }

    /** A synchronous load on the execution thread (DEBUG RELOAD); {@code merge} lets file keys replace existing ones. */
    void loadNow(Path file, boolean merge) throws IOException, RdbLoadException {
        try (InputStream in = Files.newInputStream(file)) {
            loadNow(in, Files.size(file), new Applier(merge, false));
        }
    }

    /**
     * A replica's load of its master's snapshot, synchronously: keys whose time passed are kept, since a
     * replica never expires keys itself (its master sends the deletions).
     */
    void loadFromMaster(InputStream in) throws IOException, RdbLoadException {
        loadNow(in, 0, new Applier(false, true));
    }

    /** What a diskless load produced: databases no client has seen yet, and the RDB's function libraries. */
    record Detached(Database[] databases, List<byte[]> functions) {
    }

    /**
     * A replica's diskless load: {@code in} is decoded on a thread of its own into fresh databases (keys whose
     * time passed kept, as in {@link #loadFromMaster}); {@code done} runs on the execution thread with them, or
     * with the error. Clients meanwhile get {@code -LOADING}, unless {@code async}: then they keep being served
     * from the current dataset (INFO async_loading:1). {@code size} is the payload's length, -1 when unknown.
     */
    void loadDetached(InputStream in, long size, boolean async,
                      java.util.function.BiConsumer<Detached, Throwable> done) {
        Database[] live = server.databases();
        Database[] into = new Database[live.length];
        for (int i = 0; i < live.length; i++) {
            into[i] = new Database(i, live[i].perSlot(), server);
        }
        List<byte[]> functions = new ArrayList<>();
        startProgress(size);
        RdbLoader loader = newLoader();
        current = loader;
        if (async) {
            asyncLoading = true;
        } else {
            loading = true;
        }
        Applier applier = new Applier(false, true, into);
        RdbLoader.Sink sink = sink(applier, functions::add);
        Thread t = new Thread(() -> {
            Throwable error = null;
            try {
                loader.load(in, sink);
                if (in.read() >= 0) {
                    throw new IOException("unexpected bytes after the end of the snapshot");
                }
            } catch (RdbLoadException | IOException | RuntimeException e) {
                error = e;
            }
            Throwable failure = error;
            try {
                onExec(() -> {
                    end();
                    done.accept(failure == null ? new Detached(into, functions) : null, failure);
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // the server shut down meanwhile: nothing is left to replace
            }
        }, "cinnabar-repl-load");
        t.setDaemon(true);
        t.start();
    }

    /**
     * An AOF's RDB base (or preamble) applied synchronously, outside the RDB loading state (the AOF load
     * reports its own progress); returns the bytes the RDB took.
     */
    long loadInline(InputStream in) throws IOException, RdbLoadException {
        RdbLoader loader = newLoader();
        loader.load(in, sink(new Applier(false)));
        return loader.offset();
    }

    private void loadNow(InputStream in, long size, Applier applier) throws IOException, RdbLoadException {
        begin(size);
        try {
            RdbLoader loader = newLoader();
            current = loader;
            loader.load(in, sink(applier));
        } finally {
            end();
        }
    }

    /** A sink applying each entry at once on the calling (execution) thread. */
    private RdbLoader.Sink sink(Applier applier) {
        return sink(applier, this::keepFunction);
    }

    /** A sink applying each entry at once on the calling thread; the function libraries go to {@code functions}. */
    private RdbLoader.Sink sink(Applier applier, java.util.function.Consumer<byte[]> functions) {
        return new RdbLoader.Sink() {
                @Override
                public void aux(String key, byte[] value) {
                    applier.aux(key, value);
                }

                @Override
                public void function(byte[] code) {
                    functions.accept(code);
                }

                @Override
                public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq)
                        throws IOException {
                    applier.entry(db, key, value, expireAt, idle, freq);
                }

                @Override
                public void resizeDb(int db, long keys, long expires) {
                    applier.resizeDb(db, keys, expires);
                }

                @Override
                public void end() throws IOException {
                    applier.flush();
                }
        };
    }

    private void keepFunction(byte[] code) {
        functionLibraries.add(code);
        server.log().warn("The RDB file holds a function library; Cinnabar has no scripting yet, so it is kept "
                + "unloaded and written back on save");
    }

    /** What one loaded key does to the keyspace (on the execution thread). */
    private final class Applier {
        private final boolean merge;
        private final boolean keepExpired;
        /** The databases loaded into: the server's, or ones no client sees yet (a diskless load). */
        private final Database[] target;
        private final long now = System.currentTimeMillis();

        Applier(boolean merge) {
            this(merge, false);
        }

        Applier(boolean merge, boolean keepExpired) {
            this(merge, keepExpired, server.databases());
        }

        Applier(boolean merge, boolean keepExpired, Database[] target) {
            this.merge = merge;
            this.keepExpired = keepExpired;
            this.target = target;
        }

        void aux(String key, byte[] value) {
            String v = new String(value, StandardCharsets.UTF_8);
            switch (key) {
                case "redis-ver" -> server.log().info("Loading RDB produced by version {}", v);
                case "ctime" -> {
                    try {
                        long age = now / 1000 - Long.parseLong(v);
                        server.log().info("RDB age {} seconds", Math.max(0, age));
                    } catch (NumberFormatException ignored) {
                        // Redis logs the age only when it parses
                    }
                }
                case "used-mem" -> {
                    try {
                        rdbUsedMem = Long.parseLong(v);
                        server.log().info("RDB memory usage when created {} Mb",
                                String.format("%.2f", rdbUsedMem / 1024.0 / 1024.0));
                    } catch (NumberFormatException ignored) {
                        // as Redis: an unreadable value is just not reported
                    }
                }
                case "repl-id" -> loadedReplId = v;
                case "repl-stream-db" -> {
                    try {
                        loadedReplStreamDb = Integer.parseInt(v);
                    } catch (NumberFormatException ignored) {
                        loadedReplStreamDb = 0;
                    }
                }
                case "repl-offset" -> {
                    try {
                        loadedReplOffset = Long.parseLong(v);
                    } catch (NumberFormatException ignored) {
                        loadedReplOffset = -1; // an unreadable offset makes the history unusable
                    }
                }
                default -> {
                    // aof-base, redis-bits, lua and unknown fields: nothing to do
                }
            }
        }

        void resizeDb(int dbIndex, long keys, long expires) {
            target[dbIndex].reserve(keys, expires);
        }

        /** Keys held back until a batch is complete, so their lookups' cache misses overlap. */
        private final int[] pendingDb = new int[Database.PREFETCH_MAX];
        private final byte[][] pendingKey = new byte[Database.PREFETCH_MAX][];
        private final Object[] pendingValue = new Object[Database.PREFETCH_MAX];
        private final long[] pendingExpireAt = new long[Database.PREFETCH_MAX];
        private final int[] pendingStamp = new int[Database.PREFETCH_MAX];
        private int pending;
        /** The batch's keys in the first key's database, for {@link Database#prefetch(byte[][], int)}. */
        private final byte[][] sameDb = new byte[Database.PREFETCH_MAX][];

        /** A key read; added with the others of its batch (then, or by {@link #flush}). */
        void entry(int dbIndex, byte[] key, Object value, long expireAt, long idle, int freq) throws IOException {
            // as a master, Redis drops keys whose time passed instead of loading them
            if (expireAt != -1 && expireAt < now && !keepExpired) {
                lastLoadKeysExpired++;
                return;
            }
            int i = pending++;
            pendingDb[i] = dbIndex;
            pendingKey[i] = key;
            pendingValue[i] = value;
            pendingExpireAt[i] = expireAt;
            pendingStamp[i] = stampFor(idle, freq);
            if (pending == pendingKey.length) {
                flush();
            }
        }

        /** Adds the keys held back, their lookups prefetched first ({@link #prefetch}). */
        void flush() throws IOException {
            int n = pending;
            pending = 0;
            if (n > 1) {
                prefetch(n);
            }
            for (int i = 0; i < n; i++) {
                byte[] key = pendingKey[i];
                Object value = pendingValue[i];
                pendingKey[i] = null;
                pendingValue[i] = null;
                add(pendingDb[i], key, value, pendingExpireAt[i], pendingStamp[i]);
            }
        }

        /**
         * Has the database start the loads the batch's inserts will make (home slot, then the entry and key of
         * its tag that the duplicate check compares), as for a pipeline's commands; keys of the first key's
         * database.
         */
        private void prefetch(int n) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (pendingDb[i] == pendingDb[0]) {
                    sameDb[m++] = pendingKey[i];
                }
            }
            target[pendingDb[0]].prefetch(sameDb, m);
            java.util.Arrays.fill(sameDb, 0, m, null);
        }

        private void add(int dbIndex, byte[] key, Object value, long expireAt, int stamp) throws IOException {
            Database db = target[dbIndex];
            if (!db.addLoaded(key, value, expireAt, stamp)) {
                if (!merge) {
                    throw new IOException("RDB has duplicated key '" + new String(key, StandardCharsets.UTF_8)
                            + "' in DB " + dbIndex);
                }
                db.delete(key);
                db.addLoaded(key, value, expireAt, stamp);
            }
            lastLoadKeysLoaded++;
        }

        /** objectSetLRUOrLFU: the loaded IDLE/FREQ when the current policy uses it, else a fresh stamp. */
        private int stampFor(long idle, int freq) {
            LruClock clock = server.lruClock();
            if (clock.lfu()) {
                if (freq >= 0) {
                    return (int) ((now / 1000 / 60) & 65535) << 8 | freq;
                }
            } else if (idle >= 0 && lruPolicy()) {
                long t = LruClock.clock(now) - idle;
                if (t < 0) {
                    t += LruClock.LRU_CLOCK_MAX;
                }
                return (int) t;
            }
            return clock.creation(now);
        }

        private boolean lruPolicy() {
            String p = server.config().get("maxmemory-policy");
            return p != null && p.endsWith("-lru");
        }
    }

    /** Decodes on the loader thread, applies on the execution thread in batches, at most a few batches ahead. */
    private final class BatchingSink implements RdbLoader.Sink {
        private final Semaphore ahead = new Semaphore(8);
        private final Applier applier = new Applier(false);
        private List<Object[]> batch = new ArrayList<>(LOAD_BATCH);
        private volatile IOException failure;

        @Override
        public void aux(String key, byte[] value) {
            onExec(() -> applier.aux(key, value));
        }

        @Override
        public void function(byte[] code) {
            onExec(() -> keepFunction(code));
        }

        @Override
        public void resizeDb(int db, long keys, long expires) {
            onExec(() -> applier.resizeDb(db, keys, expires));
        }

        @Override
        public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq) throws IOException {
            batch.add(new Object[] {db, key, value, expireAt, idle, freq});
            if (batch.size() == LOAD_BATCH) {
                flush();
            }
        }

        void flush() throws IOException {
            if (failure != null) {
                throw failure;
            }
            List<Object[]> b = batch;
            batch = new ArrayList<>(LOAD_BATCH);
            try {
                ahead.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            onExec(() -> {
                try {
                    for (Object[] e : b) {
                        if (failure == null) {
                            applier.entry((Integer) e[0], (byte[]) e[1], e[2], (Long) e[3], (Long) e[4], (Integer) e[5]);
                        }
                    }
                    if (failure == null) {
                        applier.flush();
                    }
                } catch (IOException ex) {
                    failure = ex;
                } finally {
                    ahead.release();
                }
            });
        }
    }
}
