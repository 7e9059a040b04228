package io.cinnabar.kernel.persistence;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.Errors;
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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * The execution-thread time one snapshot slice may take while commands are arriving, and the pause after it
     * (an idle server gets long slices back to back): measured on 2 shared cores, longer slices or shorter gaps
     * raised the writers' p99 several-fold (see SnapshotTest).
     */
    static final long SLICE_MICROS = Long.getLong("cinnabar.snapshot.slice-micros", 5);
    static final long GAP_MICROS = Long.getLong("cinnabar.snapshot.gap-micros", 50);

    private final CinnabarServer server;
    private final Config config;
    private ValueCodec codec;
    private long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTimeSec = -1;
    private long lastBgsaveTryMillis;
    private long bgsaveStartMillis;
    private long dirtyAtBgsaveStart;
    private long rdbSaves;
    private boolean bgsaveScheduled;
    private Snapshot snapshot;
    private KeyspaceLoader loader;
    private boolean loadPending;
    private volatile boolean skipChecksumValidation;
    /** Function libraries read from an RDB (FUNCTION2): kept and written back, as there is no scripting yet. */
    private final List<byte[]> functionLibraries = new ArrayList<>();
    private final KeyExtractor.Keys keysScratch = new KeyExtractor.Keys();
    /** True while another background job (an AOF rewrite) owns the keyspace's change listener. */
    private java.util.function.BooleanSupplier otherChildActive = () -> false;
    /** Writes the aof_* INFO fields (the AOF's own state) when the AOF is set up. */
    private java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> aofInfo;
    private java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> aofInfoTail;
    /** While the AOF loads at startup: {start seconds, total bytes, loaded bytes}; null otherwise. */
    private java.util.function.Supplier<long[]> aofLoadProgress = () -> null;
    /** Runs after a replica loaded its master's snapshot (the AOF starts over from the new dataset). */
    private Runnable afterSnapshotLoad;

    /** Registers {@code rdb-version} (Cinnabar's own: the format version written, lowered for older readers). */
    public Persistence(CinnabarServer server) {
        this.server = server;
        this.config = server.config();
        server.addConfig(ConfigParameter.integer("rdb-version", RdbType.VERSION, 1, RdbType.VERSION));
    }

    // ---- startup ----

    /**
     * Before the port is bound: hooks into the dispatcher ({@code -LOADING}, {@code -MISCONF}, the snapshot's
     * key preservation), INFO and SHUTDOWN, and enters the loading state when there is a file to load.
     */
    public void install() {
        codec();
        loader = new KeyspaceLoader(server, codec, functionLibraries, this::skipChecksumValidation);
        server.info().replace(new PersistenceInfo(this, server));
        server.dispatcher().addGate(this::gate);
        server.dispatcher().addCallListener(this::beforeCall);
        server.onPrepareShutdown(this::prepareShutdown);
        // with appendonly the AOF is the source at startup, as in Redis
        // a mapped storage engine that restored the keyspace warm needs no RDB load
        loadPending = !config.getBoolean("appendonly") && !server.storageRestored()
                && loader.prepareStartupLoad(rdbPath());
    }

    /**
     * Once the port is bound: loads {@code dir/dbfilename} (clients meanwhile get {@code -LOADING}), then starts
     * the save points' cron. Called from the main thread; IllegalStateException when the file cannot be loaded.
     */
    public void start() {
        if (loadPending) {
            loadPending = false;
            loader.loadAtStartup(rdbPath());
        }
        server.scheduleAtFixedRate(this::cron, 100);
    }

    private Path rdbPath() {
        return Path.of(config.get("dir")).resolve(config.get("dbfilename"));
    }

    public boolean loading() {
        return loader.loading();
    }

    @Override
    public boolean loadInProgress() {
        return loader.loading() || loader.asyncLoading();
    }

    /** How values are serialized (the loaded plugins' data types), shared by RDB, DUMP and full resyncs. */
    public ValueCodec codec() {
        if (codec == null) {
            codec = new ValueCodec(server.plugins().dataTypes());
        }
        return codec;
    }

    /** The replication history (repl-id, repl-offset aux fields) of the RDB loaded at startup, or null. */
    public String loadedReplId() {
        return loader.loadedReplId();
    }

    public long loadedReplOffset() {
        return loader.loadedReplOffset();
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

    /** rdbSaveInfoAuxFields, with rdbPopulateSaveInfo's replication history when there is a backlog. */
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
            // a restarted replica (or master) continues from this history with PSYNC, in this database
            aux.put("repl-stream-db", Integer.toString(r.isReplica() ? r.masterStreamDb() : 0));
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
            fsyncDirectory(rdbPath().getParent());
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

    /** fsyncFileDir: the rename itself survives a crash only once the directory is synced. */
    static void fsyncDirectory(Path dir) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // some filesystems refuse to sync a directory; Redis ignores that too
        }
    }

    private void writeAll(Path temp) throws IOException {
        try (FileOutputStream fos = new FileOutputStream(temp.toFile())) {
            writeDataset(new BufferedOutputStream(fos, 1 << 16), auxFields());
            fos.getFD().sync();
        }
    }

    /** The whole dataset as one RDB stream, synchronously on the execution thread. */
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

    /** A replica replaces its dataset with its master's snapshot. */
    @Override
    public void loadSnapshot(java.io.InputStream in) throws IOException {
        killBgsave();
        for (Database db : server.databases()) {
            server.watches().touchDb(db, null, server.now());
            db.clear();
        }
        functionLibraries.clear();
        try {
            loader.loadFromMaster(in);
        } catch (RdbLoadException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (afterSnapshotLoad != null) {
            afterSnapshotLoad.run();
        }
    }

    /**
     * A replica's disk-backed load: the file the payload was written to (now dbfilename) replaces the dataset.
     * As Redis's rdb-del-sync-files, the file is deleted afterwards when neither RDB nor AOF persistence is on.
     */
    @Override
    public void loadSnapshotFile(Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            loadSnapshot(in);
        }
        if (config.getBoolean("rdb-del-sync-files") && saveParams().length == 0
                && !config.getBoolean("appendonly")) {
            server.log().info("Removing the RDB file obtained from the master. This replica has persistence "
                    + "disabled");
            Files.deleteIfExists(file);
        }
    }

    @Override
    public Path syncTempFile() {
        return Path.of(config.get("dir")).resolve("temp-" + System.currentTimeMillis() / 1000 + "."
                + ProcessHandle.current().pid() + ".rdb");
    }

    @Override
    public Path snapshotFile() {
        return rdbPath();
    }

    /** The heap holds a second dataset while it loads; the mapped engine's one store per database cannot. */
    @Override
    public boolean canLoadDetached() {
        return server.db(0).valueStore() == null;
    }

    /** A replica's diskless load: decoded into fresh databases, which then take the dataset's place. */
    @Override
    public void loadDetached(InputStream in, long size, boolean async, java.util.function.Consumer<Throwable> done) {
        loader.loadDetached(in, size, async, (loaded, error) -> {
            if (error == null) {
                replaceDataset(loaded);
            }
            done.accept(error);
        });
    }

    private void replaceDataset(KeyspaceLoader.Detached loaded) {
        killBgsave();
        Database[] live = server.databases();
        for (int i = 0; i < live.length; i++) {
            server.watches().touchDb(live[i], loaded.databases()[i], server.now());
            live[i].swapWith(loaded.databases()[i]);
        }
        functionLibraries.clear();
        functionLibraries.addAll(loaded.functions());
        if (afterSnapshotLoad != null) {
            afterSnapshotLoad.run();
        }
    }

    @Override
    public boolean backgroundSaveRunning() {
        return snapshot != null || otherChildActive.getAsBoolean();
    }

    /**
     * A diskless full resync's snapshot (rdbSaveToSlavesSockets): forkless, streamed to {@code stream}. It shows
     * as a background save in progress (Redis forks an RDB child for it too) but updates neither lastsave nor
     * dirty, as the file on disk did not change.
     */
    @Override
    public boolean startStreamedSnapshot(String replId, long replOffset,
                                         io.cinnabar.kernel.replication.SnapshotSource.Stream stream,
                                         java.util.function.Consumer<Throwable> done) {
        if (backgroundSaveRunning()) {
            return false;
        }
        Snapshot s = newSnapshot(null, null, null);
        s.setSink(new Snapshot.Sink() {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                stream.write(b, off, len);
            }

            @Override
            public void end() throws IOException {
                stream.end();
            }
        });
        snapshot = s;
        s.setOnDone(e -> {
            s.detach();
            if (snapshot == s) {
                snapshot = null;
                lastBgsaveTimeSec = (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
            }
            done.accept(e);
        });
        s.setActivity(() -> server.stats().commandsProcessed);
        bgsaveStartMillis = System.currentTimeMillis();
        Map<String, String> aux = auxFields();
        // a replica's sub-replica continues its master's stream in the database that stream selected
        aux.put("repl-stream-db", Integer.toString(server.replication().isReplica()
                ? server.replication().masterStreamDb() : 0));
        aux.put("repl-id", replId);
        aux.put("repl-offset", Long.toString(replOffset));
        try {
            s.start(aux, functionLibraries);
        } catch (IOException | RuntimeException e) {
            snapshot = null;
            s.cancel();
            server.log().warn("Can't start the replication snapshot: {}", e.getMessage());
            return false;
        }
        server.log().info("Starting BGSAVE for SYNC with target: replicas sockets (forkless snapshot)");
        return true;
    }

    /** A disk-backed full resync's snapshot: a BGSAVE to dbfilename whose file is then sent to the replicas. */
    @Override
    public boolean startDiskSnapshot(java.util.function.BiConsumer<Path, Throwable> done) {
        Path target = rdbPath();
        if (!startBgsave(e -> done.accept(e == null ? target : null, e))) {
            return false;
        }
        server.log().info("Starting BGSAVE for SYNC with target: disk (forkless snapshot)");
        return true;
    }

    @Override
    public int loadedStreamDb() {
        return loader.loadedReplStreamDb();
    }

    @Override
    public void cancelBackgroundSave() {
        killBgsave();
    }

    public boolean bgsaveInProgress() {
        return snapshot != null;
    }

    /** A forkless snapshot of the dataset into {@code temp}, renamed to {@code target} when complete. */
    private Snapshot newSnapshot(Path temp, Path target, java.util.function.Consumer<Throwable> onDone) {
        long delay = Math.max(0, config.getLong("rdb-key-save-delay"));
        return new Snapshot(server.databases(), newWriter(), config.getBoolean("rdbcompression"),
                config.getBoolean("rdbchecksum"), temp, target, new Snapshot.Scheduler() {
                    @Override
                    public void later(Runnable task, long delayMicros) {
                        server.transport().loop().schedule(task, Math.max(1, delayMicros), TimeUnit.MICROSECONDS);
                    }

                    @Override
                    public void onExecutionThread(Runnable task) {
                        server.execute(task);
                    }
                }, SLICE_MICROS, GAP_MICROS, delay, onDone);
    }

    /** rdbSaveBackground: starts the forkless snapshot; false (logged) when it cannot start. */
    public boolean startBgsave() {
        return startBgsave(null);
    }

    /** rdbSaveBackground with a listener told (on the execution thread) when the save ended, with its error. */
    private boolean startBgsave(java.util.function.Consumer<Throwable> listener) {
        if (snapshot != null || otherChildActive.getAsBoolean()) {
            return false;
        }
        lastBgsaveTryMillis = System.currentTimeMillis();
        Path temp = tempPath();
        Path target = rdbPath();
        Snapshot s = newSnapshot(temp, target, null);
        snapshot = s;
        s.setOnDone(e -> {
            bgsaveDone(s, e);
            if (listener != null) {
                listener.accept(e);
            }
        });
        s.setIncrementalFsync(config.getBoolean("rdb-save-incremental-fsync"));
        s.setActivity(() -> server.stats().commandsProcessed);
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

    // ---- the append-only file's hooks (AppendOnlyFile) ----

    /** Another background job that excludes BGSAVE (Redis's one child at a time): an AOF rewrite. */
    void setOtherChildActive(java.util.function.BooleanSupplier active) {
        this.otherChildActive = active;
    }

    /** The AOF writes its INFO persistence fields: {@code fields} in place of the aof_* defaults, {@code tail} after. */
    void setAofInfo(java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> fields,
                    java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> tail) {
        this.aofInfo = fields;
        this.aofInfoTail = tail;
    }

    /** INFO persistence's loading fields during the AOF's startup load. */
    void setAofLoadProgress(java.util.function.Supplier<long[]> progress) {
        this.aofLoadProgress = progress;
    }

    /** Runs after a full resync replaced the dataset (restartAOFAfterSYNC). */
    void setAfterSnapshotLoad(Runnable r) {
        this.afterSnapshotLoad = r;
    }

    /** An AOF's RDB base (or preamble) loaded on the calling execution thread; returns the bytes it took. */
    long loadRdbInline(InputStream in) throws RdbLoadException, java.io.IOException {
        return loader.loadInline(in);
    }

    /** aux fields of an AOF base (aof-base:1). */
    private Map<String, String> aofBaseAux() {
        Map<String, String> aux = auxFields();
        aux.put("aof-base", "1");
        return aux;
    }

    /** The dataset now as an AOF's RDB base, synchronously (the base Redis creates at startup). */
    void writeAofBase(Path file) throws IOException {
        try (FileOutputStream fos = new FileOutputStream(file.toFile())) {
            writeDataset(new BufferedOutputStream(fos, 1 << 16), aofBaseAux());
            fos.getFD().sync();
        }
    }

    /** Starts a forkless snapshot for an AOF rewrite: written to {@code temp}, renamed to {@code target}. */
    Snapshot startAofSnapshot(Path temp, Path target, java.util.function.Consumer<Throwable> onDone)
            throws IOException {
        Snapshot s = newSnapshot(temp, target, onDone);
        s.start(aofBaseAux(), functionLibraries);
        return s;
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
        return bgsave(inTransaction, false);
    }

    /** BGSAVE [SCHEDULE]: SCHEDULE waits for another background job (an AOF rewrite) instead of failing. */
    public String bgsave(boolean inTransaction, boolean schedule) {
        if (snapshot != null) {
            throw new io.cinnabar.api.CommandException(Errors.BGSAVE_IN_PROGRESS);
        }
        if (inTransaction || (schedule && otherChildActive.getAsBoolean())) {
            // Redis cannot fork inside EXEC (or beside another child): it schedules the save for the cron
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        if (otherChildActive.getAsBoolean()) {
            throw new io.cinnabar.api.CommandException(Errors.BGSAVE_OTHER_CHILD);
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
        try {
            loader.loadNow(rdbPath(), merge);
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
        if (loader.loading() && !cmd.spec().has(CommandFlag.LOADING)) {
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
        if (loader.loading() || snapshot != null || server.isShuttingDown() || otherChildActive.getAsBoolean()) {
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
        // as Redis's shutdownCommand: a server still loading its dataset never saves (it would truncate it)
        if (loader.loading() || request.noSave() || (!request.save() && saveParams().length == 0)) {
            return true;
        }
        server.log().info("Saving the final RDB snapshot before exiting.");
        if (!saveNow()) {
            server.log().warn("Error trying to save the DB, can't exit.");
            return false;
        }
        return true;
    }

    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: loads (and RESTORE) skip the CRC-64 check while set. */
    public void setSkipChecksumValidation(boolean skip) {
        skipChecksumValidation = skip;
    }

    public boolean skipChecksumValidation() {
        return skipChecksumValidation;
    }

    // ---- what INFO persistence shows ----

    KeyspaceLoader loader() {
        return loader;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long rdbSaves() {
        return rdbSaves;
    }

    boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    long lastBgsaveTimeSec() {
        return lastBgsaveTimeSec;
    }

    long bgsaveStartMillis() {
        return bgsaveStartMillis;
    }

    /** The AOF's INFO fields (in place of the "off" ones), its tail fields, its load progress, or null. */
    java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> aofInfo() {
        return aofInfo;
    }

    java.util.function.Consumer<io.cinnabar.api.InfoSection.InfoWriter> aofInfoTail() {
        return aofInfoTail;
    }

    long[] aofLoadProgress() {
        return aofLoadProgress.get();
    }
}
