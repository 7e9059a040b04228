package io.cinnabar.kernel.persistence;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.Errors;
import io.cinnabar.api.InfoSection;
import io.cinnabar.api.rdb.RdbOutput;
import io.cinnabar.api.rdb.RdbType;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * RDB persistence of a node (Redis's rdb.c driver code and the RDB part of serverCron): SAVE, the forkless
 * BGSAVE ({@link Snapshot}), save points, load at startup with {@code loading:1} and {@code -LOADING},
 * the final save of SHUTDOWN, DEBUG RELOAD, FLUSHALL's save, {@code -MISCONF} after a failed background save,
 * and INFO persistence. Everything here runs on the execution thread unless it says otherwise.
 */
public final class Persistence implements io.cinnabar.kernel.replication.SnapshotSource {
    /** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save points wait this long before trying again. */
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;
    /** Entries handed from the loader thread to the execution thread at a time during the startup load. */
    private static final int LOAD_BATCH = 1024;
    /** The execution-thread time one snapshot slice may take. */
    static final long SLICE_MICROS = 500;

    private final CinnabarServer server;
    private final Config config;
    private ValueCodec codec;
    private String loadedReplId;
    private long loadedReplOffset = -1;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTimeSec = -1;
    private long lastBgsaveTryMillis;
    private long bgsaveStartMillis;
    private long dirtyAtBgsaveStart;
    private long rdbSaves;
    private boolean bgsaveScheduled;
    private Snapshot snapshot;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    private volatile boolean loading;
    private long loadingStartSeconds;
    private long loadingTotalBytes;
    private long loadingRdbUsedMem;
    private RdbLoader currentLoader;
    /** Function libraries read from an RDB (FUNCTION2): kept and written back, as there is no scripting yet. */
    private final List<byte[]> functionLibraries = new ArrayList<>();
    private final KeyExtractor.Keys keysScratch = new KeyExtractor.Keys();

    /** Registers {@code rdb-version} (Cinnabar's own: the format version written, lowered for older readers). */
    public Persistence(CinnabarServer server) {
        this.server = server;
        this.config = server.config();
        server.addConfig(ConfigParameter.integer("rdb-version", RdbType.VERSION, 1, RdbType.VERSION));
    }

    // ---- startup ----

    /**
     * Hooks into the dispatcher, INFO, the cron and SHUTDOWN, then loads {@code dir/dbfilename} when it exists
     * (clients meanwhile get {@code -LOADING}). Called from the main thread once the port is bound; throws
     * IllegalStateException when the file cannot be loaded: the server must not serve partial data.
     */
    public void start() {
        codec();
        server.info().replace(new PersistenceInfo());
        server.dispatcher().addGate(this::gate);
        server.dispatcher().addCallListener(this::beforeCall);
        server.onPrepareShutdown(this::prepareShutdown);
        if (!config.getBoolean("appendonly") && !server.storageRestored()) {
            loadAtStartup();
        }
        server.scheduleAtFixedRate(this::cron, 100);
    }

    private Path rdbPath() {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    private void loadAtStartup() {
        Path file = rdbPath();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException("Fatal error loading the DB, check server logs. Exiting. (" + e + ")");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        onExec(() -> beginLoading(size));
        long start = System.nanoTime();
        Thread t = new Thread(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                BatchingSink sink = new BatchingSink();
                RdbLoader loader = newLoader();
                onExec(() -> currentLoader = loader);
                loader.load(in, sink);
                sink.flush();
                onExec(() -> done.complete(null));
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
            onExec(() -> endLoading());
            throw new IllegalStateException(c.getMessage() + "\nFatal error loading the DB, check server logs. Exiting.",
                    c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the DB", e);
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        onExec(() -> {
            endLoading();
            ended.complete(null);
        });
        ended.join();
        server.log().info("Done loading RDB, keys loaded: {}, keys expired: {}.", lastLoadKeysLoaded,
                lastLoadKeysExpired);
        server.log().info("DB loaded from disk: {} seconds", String.format("%.3f", (System.nanoTime() - start) / 1e9));
    }

    private void onExec(Runnable r) {
        server.execute(r);
    }

    private void beginLoading(long totalBytes) {
        loading = true;
        loadingStartSeconds = System.currentTimeMillis() / 1000;
        loadingTotalBytes = totalBytes;
        loadingRdbUsedMem = 0;
        lastLoadKeysLoaded = 0;
        lastLoadKeysExpired = 0;
        functionLibraries.clear();
    }

    private void endLoading() {
        loading = false;
        currentLoader = null;
    }

    /** The replication history (repl-id, repl-offset aux fields) of the last RDB loaded, or null. */
    public String loadedReplId() {
        return loadedReplOffset < 0 ? null : loadedReplId;
    }

    public long loadedReplOffset() {
        return loadedReplOffset;
    }

    /** How values are serialized (the loaded plugins' data types), shared by RDB, DUMP and full resyncs. */
    public ValueCodec codec() {
        if (codec == null) {
            codec = new ValueCodec(server.plugins().dataTypes());
        }
        return codec;
    }

    public boolean loading() {
        return loading;
    }

    private RdbLoader newLoader() {
        boolean verify = config.getBoolean("rdbchecksum");
        return new RdbLoader(codec, server.databaseCount(), verify, msg -> server.log().warn("{}", msg));
    }

    /** What one loaded key does to the keyspace (runs on the execution thread). */
    private final class Applier {
        private final boolean merge;
        private final boolean keepExpired;
        private final long now = System.currentTimeMillis();

        Applier(boolean merge) {
            this(merge, false);
        }

        /** {@code keepExpired}: a replica loads its master's keys as they are; the master will delete them. */
        Applier(boolean merge, boolean keepExpired) {
            this.merge = merge;
            this.keepExpired = keepExpired;
        }

        void aux(String key, byte[] value) {
            String v = new String(value, java.nio.charset.StandardCharsets.UTF_8);
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
                        loadingRdbUsedMem = Long.parseLong(v);
                        server.log().info("RDB memory usage when created {} Mb",
                                String.format("%.2f", loadingRdbUsedMem / 1024.0 / 1024.0));
                    } catch (NumberFormatException ignored) {
                        // as Redis: an unreadable value is just not reported
                    }
                }
                case "repl-id" -> loadedReplId = v;
                case "repl-offset" -> {
                    try {
                        loadedReplOffset = Long.parseLong(v);
                    } catch (NumberFormatException ignored) {
                        loadedReplId = null; // an unreadable offset makes the history unusable
                    }
                }
                default -> {
                    // aof-base, redis-bits, lua and unknown fields: nothing to do
                }
            }
        }

        void entry(int dbIndex, byte[] key, Object value, long expireAt, long idle, int freq) throws IOException {
            // as a master, Redis drops keys whose time passed instead of loading them
            if (expireAt != -1 && expireAt < now && !keepExpired) {
                lastLoadKeysExpired++;
                return;
            }
            Database db = server.db(dbIndex);
            int stamp = stampFor(idle, freq);
            if (!db.addLoaded(key, value, expireAt, stamp)) {
                if (!merge) {
                    throw new IOException("RDB has duplicated key '" + new String(key,
                            java.nio.charset.StandardCharsets.UTF_8) + "' in DB " + dbIndex);
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
                } catch (IOException ex) {
                    failure = ex;
                } finally {
                    ahead.release();
                }
            });
        }
    }

    private void keepFunction(byte[] code) {
        functionLibraries.add(code);
        server.log().warn("The RDB file holds a function library; Cinnabar has no scripting yet, so it is kept "
                + "unloaded and written back on save");
    }

    // ---- writing ----

    private int rdbVersion() {
        return config.getInt("rdb-version");
    }

    private boolean lruPolicy() {
        String p = config.get("maxmemory-policy");
        return p != null && p.endsWith("-lru");
    }

    private RdbWriter newWriter() {
        RdbWriter.AccessInfo access = server.lruClock().lfu() ? RdbWriter.AccessInfo.FREQ
                : lruPolicy() ? RdbWriter.AccessInfo.IDLE : RdbWriter.AccessInfo.NONE;
        long now = System.currentTimeMillis();
        LruClock clock = server.lruClock();
        return new RdbWriter(codec, rdbVersion(), access, new RdbWriter.EntryAccess() {
            @Override
            public long idleSeconds(int stamp) {
                return LruClock.idleSeconds(stamp, now);
            }

            @Override
            public int frequency(int stamp) {
                return clock.frequency(stamp, now);
            }
        });
    }

    /** rdbSaveInfoAuxFields (no replication yet, so no repl-* fields, as a master without a backlog). */
    private Map<String, String> auxFields() {
        Map<String, String> aux = new LinkedHashMap<>();
        aux.put("redis-ver", CinnabarServer.VERSION);
        aux.put("redis-bits", "64");
        aux.put("ctime", Long.toString(System.currentTimeMillis() / 1000));
        Runtime rt = Runtime.getRuntime();
        aux.put("used-mem", Long.toString(rt.totalMemory() - rt.freeMemory()));
        aux.put("aof-base", "0");
        io.cinnabar.kernel.replication.Replication r = server.replication();
        if (r.backlog() != null) {
            // rdbPopulateSaveInfo: a restarted replica continues with PSYNC from this history
            aux.put("repl-stream-db", "0");
            aux.put("repl-id", r.replId());
            aux.put("repl-offset", Long.toString(r.offset()));
        }
        return aux;
    }

    private Path tempPath() {
        return Path.of(config.get("dir")).resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
    }

    /**
     * rdbSave: the whole dataset, synchronously, to {@code temp-<pid>.rdb}, fsynced and renamed over
     * {@code dbfilename}. True on success (dirty reset, lastsave updated, as Redis).
     */
    public boolean saveNow() {
        Path temp = tempPath();
        try {
            writeAll(temp);
            Files.move(temp, rdbPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.log().warn("Failed saving the DB: {} (in server root dir {})", e.getMessage(), config.get("dir"));
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the failure is what gets reported
            }
            return false;
        }
        server.log().info("DB saved on disk");
        server.stats().dirty = 0;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        return true;
    }

    private void writeAll(Path temp) throws IOException {
        try (FileOutputStream fos = new FileOutputStream(temp.toFile())) {
            writeDataset(new BufferedOutputStream(fos, 1 << 16), auxFields());
            fos.getFD().sync();
        }
    }

    /** The whole dataset as one RDB stream (synchronously, on the execution thread). */
    private void writeDataset(java.io.OutputStream os, Map<String, String> aux) throws IOException {
        RdbWriter w = newWriter();
        boolean compression = config.getBoolean("rdbcompression");
        {
            Crc64OutputStream crc = new Crc64OutputStream(os);
            RdbOutput out = new RdbOutput(crc, compression);
            w.header(out, aux);
            w.functions(out, functionLibraries);
            for (Database db : server.databases()) {
                Database.Tables t = db.tables();
                long[] sizes = t.sizes();
                if (sizes[0] == 0) {
                    continue;
                }
                w.selectDb(out, db.id(), sizes[0], sizes[1]);
                t.walk(0, Integer.MAX_VALUE, (k, v, exp, stamp) -> w.entry(out, k, v, exp, stamp));
            }
            RdbWriter.eof(out);
            out.flush();
            long sum = config.getBoolean("rdbchecksum") ? crc.crc() : 0;
            out.writeLong(Long.reverseBytes(sum));
            out.flush();
        }
    }

    /** A full resync's snapshot: the dataset now, with the replication id and offset it starts from. */
    @Override
    public void writeSnapshot(java.io.OutputStream out, String replId, long replOffset) throws IOException {
        Map<String, String> aux = auxFields();
        aux.put("repl-stream-db", "0");
        aux.put("repl-id", replId);
        aux.put("repl-offset", Long.toString(replOffset));
        writeDataset(out, aux);
    }

    /** A replica replaces its dataset with its master's snapshot (expired keys kept: the master deletes them). */
    @Override
    public void loadSnapshot(InputStream in) throws IOException {
        killBgsave();
        for (Database db : server.databases()) {
            server.watches().touchDb(db, null, server.now());
            db.clear();
        }
        functionLibraries.clear();
        try {
            newLoader().load(in, syncSink(new Applier(false, true)));
        } catch (RdbLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A loader sink applying every entry at once on the calling (execution) thread. */
    private RdbLoader.Sink syncSink(Applier applier) {
        return new RdbLoader.Sink() {
            @Override
            public void aux(String key, byte[] value) {
                applier.aux(key, value);
            }

            @Override
            public void function(byte[] code) {
                keepFunction(code);
            }

            @Override
            public void entry(int db, byte[] key, Object value, long expireAt, long idle, int freq)
                    throws IOException {
                applier.entry(db, key, value, expireAt, idle, freq);
            }
        };
    }

    public boolean bgsaveInProgress() {
        return snapshot != null;
    }

    /** rdbSaveBackground: starts the forkless snapshot; false (logged) when it cannot start. */
    public boolean startBgsave() {
        if (snapshot != null) {
            return false;
        }
        lastBgsaveTryMillis = System.currentTimeMillis();
        Path temp = tempPath();
        Path target = rdbPath();
        long delay = Math.max(0, config.getLong("rdb-key-save-delay"));
        Snapshot s = new Snapshot(server.databases(), newWriter(), config.getBoolean("rdbcompression"),
                config.getBoolean("rdbchecksum"), temp, target, new Snapshot.Scheduler() {
                    @Override
                    public void later(Runnable task, long delayMicros) {
                        server.transport().loop().schedule(task, Math.max(1, delayMicros), TimeUnit.MICROSECONDS);
                    }

                    @Override
                    public void onExecutionThread(Runnable task) {
                        server.execute(task);
                    }
                }, SLICE_MICROS, delay, null);
        snapshot = s;
        s.setOnDone(e -> bgsaveDone(s, e));
        dirtyAtBgsaveStart = server.stats().dirty;
        bgsaveStartMillis = System.currentTimeMillis();
        rdbSaves++;
        try {
            s.start(auxFields(), functionLibraries);
        } catch (IOException | RuntimeException e) {
            snapshot = null;
            s.cancel();
            lastBgsaveOk = false;
            server.log().warn("Can't save in background: {}", e.getMessage());
            return false;
        }
        server.log().info("Background saving started (forkless snapshot)");
        return true;
    }

    private void bgsaveDone(Snapshot s, Throwable error) {
        s.detach();
        if (snapshot != s) {
            return; // killed (FLUSHALL, SHUTDOWN, DEBUG RELOAD): already accounted for
        }
        snapshot = null;
        long now = System.currentTimeMillis();
        lastBgsaveTimeSec = (now - bgsaveStartMillis) / 1000;
        if (error == null) {
            server.log().info("Background saving terminated with success");
            server.stats().dirty -= dirtyAtBgsaveStart;
            lastSaveSeconds = now / 1000;
            lastBgsaveOk = true;
        } else {
            server.log().warn("Background saving error: {}", error.getMessage());
            lastBgsaveOk = false;
        }
    }

    /** killRDBChild: stops a running background save; its temp file is removed. */
    public void killBgsave() {
        Snapshot s = snapshot;
        if (s != null) {
            snapshot = null;
            s.cancel();
            lastBgsaveTimeSec = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
            server.log().warn("Background saving stopped");
        }
    }

    // ---- commands ----

    /** SAVE: the reply's error, or null for OK. */
    public String save() {
        if (snapshot != null) {
            return Errors.BGSAVE_IN_PROGRESS;
        }
        rdbSaves++;
        return saveNow() ? null : Errors.ERR;
    }

    /** BGSAVE [SCHEDULE]: the status reply, or throws the error. */
    public String bgsave(boolean inTransaction) {
        if (snapshot != null) {
            throw new io.cinnabar.api.CommandException(Errors.BGSAVE_IN_PROGRESS);
        }
        if (inTransaction) {
            // Redis cannot fork inside EXEC: it schedules the save for the cron
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        if (!startBgsave()) {
            throw new io.cinnabar.api.CommandException(Errors.ERR);
        }
        return "Background saving started";
    }

    public long lastSave() {
        return lastSaveSeconds;
    }

    /** FLUSHALL's part (flushAllDataAndResetRDB): kill a background save, save the empty dataset under save points. */
    public void afterFlushAll() {
        killBgsave();
        if (saveParams().length > 0) {
            saveNow(); // rdbSave itself: rdb_saves counts SAVE and background saves only
        }
    }

    /** DEBUG RELOAD: error text or null. */
    public String debugReload(boolean merge, boolean noFlush, boolean noSave) {
        if (!noSave) {
            killBgsave();
            if (!saveNow()) {
                return Errors.ERR;
            }
        }
        if (!noFlush) {
            killBgsave();
            for (Database db : server.databases()) {
                server.watches().touchDb(db, null, server.now());
                db.clear();
            }
        }
        functionLibraries.clear();
        Applier applier = new Applier(merge);
        try (InputStream in = Files.newInputStream(rdbPath())) {
            newLoader().load(in, syncSink(applier));
        } catch (IOException | RdbLoadException e) {
            server.log().warn("Error trying to load the RDB dump: {}", e.getMessage());
            return Errors.DEBUG_RELOAD_FAILED;
        }
        server.log().info("DB reloaded by DEBUG RELOAD");
        return null;
    }

    // ---- dispatcher hooks ----

    /** -MISCONF after a failed background save (writes and PING), -LOADING while the dataset loads. */
    private boolean gate(ClientConnection client, Command cmd, Args args, RespWriter reply) {
        boolean write = cmd.spec().has(CommandFlag.WRITE) || (isExec(cmd) && client.transaction() != null
                && client.transaction().anyHas(CommandFlag.WRITE));
        if (!lastBgsaveOk && (write || cmd.fullName().equals("ping"))
                && config.getBoolean("stop-writes-on-bgsave-error") && saveParams().length > 0) {
            reply.error(Errors.MISCONF);
            return true;
        }
        if (loading && !cmd.spec().has(CommandFlag.LOADING)) {
            reply.error(Errors.LOADING);
            return true;
        }
        return false;
    }

    private static boolean isExec(Command cmd) {
        return cmd.fullName().equals("exec");
    }

    /** While a snapshot runs, keys a write command names are preserved before the command changes them in place. */
    private void beforeCall(ClientConnection client, Command cmd, Args args) {
        Snapshot s = snapshot;
        if (s == null || !cmd.spec().has(CommandFlag.WRITE)) {
            return;
        }
        int n = KeyExtractor.find(cmd.spec(), args, keysScratch);
        if (n <= 0) {
            return;
        }
        Database db = server.db(client.dbIndex());
        for (int i = 0; i < n; i++) {
            int pos = keysScratch.position(i);
            if (pos < args.size()) {
                s.beforeChange(db, args.get(pos));
            }
        }
    }

    // ---- cron and shutdown ----

    /** The save points as (seconds, changes) pairs. */
    private long[] saveParams() {
        String v = config.get("save");
        if (v == null || v.isBlank()) {
            return new long[0];
        }
        String[] f = v.trim().split("\\s+");
        long[] p = new long[f.length - f.length % 2];
        for (int i = 0; i < p.length; i++) {
            p[i] = Long.parseLong(f[i]);
        }
        return p;
    }

    /** serverCron's RDB part: a scheduled BGSAVE, else the first save point whose changes and time are reached. */
    private void cron() {
        if (loading || snapshot != null || server.isShuttingDown()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            startBgsave();
            return;
        }
        long dirty = server.stats().dirty;
        long[] p = saveParams();
        for (int i = 0; i + 1 < p.length; i += 2) {
            long seconds = p[i];
            long changes = p[i + 1];
            if (dirty >= changes && now / 1000 - lastSaveSeconds > seconds
                    && (now - lastBgsaveTryMillis > BGSAVE_RETRY_DELAY_SECONDS * 1000 || lastBgsaveOk)) {
                server.log().info("{} changes in {} seconds. Saving...", changes, seconds);
                startBgsave();
                return;
            }
        }
    }

    /** prepareForShutdown's RDB part: stop a background save; save when asked or when save points exist. */
    private boolean prepareShutdown(CinnabarServer.ShutdownRequest request) {
        if (snapshot != null) {
            server.log().warn("There is a child saving an .rdb. Killing it!");
            killBgsave();
        }
        if (request.noSave() || (!request.save() && saveParams().length == 0)) {
            return true;
        }
        server.log().info("Saving the final RDB snapshot before exiting.");
        if (!saveNow()) {
            server.log().warn("Error trying to save the DB, can't exit.");
            return false;
        }
        return true;
    }

    // ---- INFO ----

    private final class PersistenceInfo implements InfoSection {
        @Override
        public String name() {
            return "persistence";
        }

        @Override
        public void write(InfoWriter w) {
            long now = System.currentTimeMillis();
            Snapshot s = snapshot;
            w.field("loading", loading ? 1 : 0)
                    .field("async_loading", 0)
                    .field("current_cow_peak", 0)
                    .field("current_cow_size", 0)
                    .field("current_cow_size_age", 0)
                    .field("current_fork_perc", s == null || s.keysTotal() == 0 ? "0.00"
                            : String.format("%.2f", 100.0 * s.keysProcessed() / s.keysTotal()))
                    .field("current_save_keys_processed", s == null ? 0 : s.keysProcessed())
                    .field("current_save_keys_total", s == null ? 0 : s.keysTotal())
                    .field("rdb_changes_since_last_save", server.stats().dirty)
                    .field("rdb_bgsave_in_progress", s == null ? 0 : 1)
                    .field("rdb_last_save_time", lastSaveSeconds)
                    .field("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err")
                    .field("rdb_last_bgsave_time_sec", lastBgsaveTimeSec)
                    .field("rdb_current_bgsave_time_sec", s == null ? -1 : (now - bgsaveStartMillis) / 1000)
                    .field("rdb_saves", rdbSaves)
                    .field("rdb_last_cow_size", 0)
                    .field("rdb_last_load_keys_expired", lastLoadKeysExpired)
                    .field("rdb_last_load_keys_loaded", lastLoadKeysLoaded)
                    .field("aof_enabled", config.getBoolean("appendonly") ? 1 : 0)
                    .field("aof_rewrite_in_progress", 0)
                    .field("aof_rewrite_scheduled", 0)
                    .field("aof_last_rewrite_time_sec", -1)
                    .field("aof_current_rewrite_time_sec", -1)
                    .field("aof_last_bgrewrite_status", "ok")
                    .field("aof_rewrites", 0)
                    .field("aof_rewrites_consecutive_failures", 0)
                    .field("aof_last_write_status", "ok")
                    .field("aof_last_cow_size", 0)
                    .field("module_fork_in_progress", 0)
                    .field("module_fork_last_cow_size", 0);
            if (loading) {
                RdbLoader l = currentLoader;
                long loaded = l == null ? 0 : l.offset();
                long elapsed = Math.max(0, now / 1000 - loadingStartSeconds);
                double perc = loadingTotalBytes == 0 ? 0 : 100.0 * loaded / loadingTotalBytes;
                long eta = loaded == 0 ? 1 : (long) ((loadingTotalBytes - loaded) / (loaded / (elapsed + 1.0)));
                w.field("loading_start_time", loadingStartSeconds)
                        .field("loading_total_bytes", loadingTotalBytes)
                        .field("loading_rdb_used_mem", loadingRdbUsedMem)
                        .field("loading_loaded_bytes", loaded)
                        .field("loading_loaded_perc", String.format("%.2f", perc))
                        .field("loading_eta_seconds", eta);
            }
        }
    }
}
