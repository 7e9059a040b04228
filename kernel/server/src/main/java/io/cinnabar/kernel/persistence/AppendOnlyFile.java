package io.cinnabar.kernel.persistence;

import io.cinnabar.api.Args;
import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFlag;
import io.cinnabar.api.Errors;
import io.cinnabar.api.InfoSection;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.KeyExtractor;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.propagation.CommandEncoder;
import io.cinnabar.kernel.propagation.PropagationTarget;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Redis 7 multi-part append-only file (aof.c): a manifest in {@code appenddirname} naming one BASE file
 * (an RDB, or commands) and INCR files of propagated commands. Commands reach it as a
 * {@link PropagationTarget} into a buffer (aof_buf) that is written to the current INCR file before any reply
 * leaves; {@code appendfsync always} also fsyncs then, once for all the replies of an event-loop pass (group
 * commit: the replies wait in their buffers until a task after the pass has fsynced), {@code everysec} fsyncs
 * on a background thread, {@code no} leaves it to the kernel. BGREWRITEAOF writes a new base with the forkless
 * {@link Snapshot} while commands go to a new INCR file opened at the start; the old files become history and
 * are deleted once the manifest names the new ones. At startup the base and the INCR files are replayed by a
 * fake client ({@link AofLoader}).
 */
public final class AppendOnlyFile implements PropagationTarget {
    /** aof_state. */
    private enum State { OFF, ON, WAIT_REWRITE }

    private enum Fsync { ALWAYS, EVERYSEC, NO }

    /** aofRewriteLimited: after this many failed rewrites in a row, automatic ones wait a while. */
    private static final int REWRITE_FAILURES_BEFORE_DELAY = 3;
    private static final long REWRITE_RETRY_DELAY_MILLIS = 60_000;

    private final CinnabarServer server;
    private final Config config;
    private final Persistence persistence;
    private volatile State state = State.OFF;
    private AofManifest manifest = new AofManifest();
    private final CommandEncoder encoder = new CommandEncoder(this::append);
    /** aof_buf: encoded commands not yet written. */
    private byte[] buf = new byte[4096];
    private int bufLen;
    /** The INCR file being appended to (the temp INCR while the first rewrite of AOF turned on runs). */
    private volatile FileChannel channel;
    /** Bytes written to {@link #channel} (aof_last_incr_size) and how many of them are known fsynced. */
    private volatile long written;
    private volatile long synced;
    /** The replication offset that what was written covers, and that the last fsync covered (fsynced_reploff). */
    private volatile long writtenReplOffset;
    private volatile long fsyncedReplOffset = -1;
    private final AofWaits waits;
    private long currentSize;
    private long baseSize;
    private volatile Fsync fsync = Fsync.EVERYSEC;
    private volatile boolean timestamps;
    private long lastTimestamp;
    private boolean lastWriteOk = true;
    private String lastWriteError = "";
    // rewrite state
    private Snapshot rewrite;
    private long rewriteGeneration;
    private long rewriteStartMillis;
    private long lastRewriteTimeSec = -1;
    private boolean lastRewriteOk = true;
    private long rewrites;
    private long consecutiveFailures;
    private long lastFailureMillis;
    private boolean rewriteScheduled;
    private Path tempIncr;
    // group commit
    private final Set<ClientConnection> deferred = new LinkedHashSet<>();
    private boolean commitScheduled;
    private boolean committing;
    private ScheduledExecutorService fsyncThread;
    private final KeyExtractor.Keys keysScratch = new KeyExtractor.Keys();
    /** The startup load: clients other than its fake one get -LOADING meanwhile. */
    private final AofStartupLoad startup;

    public AppendOnlyFile(CinnabarServer server, Persistence persistence) {
        this.server = server;
        this.config = server.config();
        this.persistence = persistence;
        this.waits = new AofWaits(server, this);
        // from the start, so no command runs between the port opening and the load
        this.startup = new AofStartupLoad(server, persistence, config.getBoolean("appendonly"));
        server.dispatcher().addGate(this::gate);
    }

    // ---- paths ----

    private Path aofDir() {
        return Path.of(config.get("dir")).resolve(config.get("appenddirname"));
    }

    private String prefix() {
        return config.get("appendfilename");
    }

    // ---- startup ----

    /**
     * Hooks into the server, then, with {@code appendonly yes}, loads the AOF (loadAppendOnlyFiles) and opens it
     * for appending (aofOpenIfNeededOnServerStart), creating a base when there was none. Throws
     * IllegalStateException when the AOF cannot be loaded: the server must not serve partial data.
     */
    public void start() {
        fsync = parseFsync(config.get("appendfsync"));
        timestamps = config.getBoolean("aof-timestamp-enabled");
        persistence.setOtherChildActive(() -> rewrite != null || startup.running());
        persistence.setAofInfo(this::infoFields, this::infoTail);
        persistence.setAfterSnapshotLoad(this::restartAfterSync);
        persistence.setAofLoadProgress(startup::progress);
        server.dispatcher().addCallListener(this::beforeCall);
        server.onPrepareShutdown(this::prepareShutdown);
        server.onShutdown(this::close);
        server.setReplyFlushHook(this::beforeReplyFlush);
        server.replication().onAofAck(this::checkWaiters);
        server.onClientClose(waits::forget);
        config.onChange((name, value) -> configChanged(name, value));
        fsyncThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cinnabar-aof-fsync");
            t.setDaemon(true);
            return t;
        });
        fsyncThread.scheduleAtFixedRate(this::fsyncEverySecond, 1, 1, TimeUnit.SECONDS);
        if (config.getBoolean("appendonly")) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            server.execute(() -> startup.begin(loaded -> opened(loaded, done), done));
            try {
                done.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof IllegalStateException ise ? ise
                        : new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
        server.scheduleAtFixedRate(this::cron, 100);
    }

    /** After the startup load: sizes, the INCR file opened (a base created when there was none), history removed. */
    private void opened(AofStartupLoad.Loaded loaded, CompletableFuture<Void> done) {
        try {
            manifest = loaded.manifest();
            baseSize = loaded.baseSize();
            currentSize = loaded.currentSize();
            openOnServerStart(aofDir());
            deleteHistory();
            state = State.ON;
            fsyncedReplOffset = server.replication().offset();
            writtenReplOffset = fsyncedReplOffset;
            server.propagator().addTarget(this);
            done.complete(null);
        } catch (RuntimeException ex) {
            done.completeExceptionally(ex);
        }
    }

    private IllegalStateException fatal(String message) {
        server.log().warn("{}", message);
        return new IllegalStateException(message);
    }

    /** aofOpenIfNeededOnServerStart: a base when there is no file at all, then the last INCR file opened. */
    private void openOnServerStart(Path dir) {
        boolean hadIncr = !manifest.incr.isEmpty();
        if (manifest.isEmpty()) {
            boolean rdbBase = config.getBoolean("aof-use-rdb-preamble");
            String name = manifest.newBase(prefix(), rdbBase);
            try {
                if (rdbBase) {
                    persistence.writeAofBase(dir.resolve(name));
                } else if (server.storageRestored()) {
                    // the storage engine kept a keyspace: the base is its command form
                    Path rdb = dir.resolve("temp-startup-" + name + ".rdb");
                    persistence.writeAofBase(rdb);
                    try {
                        new AofCommandBase(new ValueCodec(server.plugins().dataTypes()), server.databaseCount(),
                                msg -> server.log().warn("{}", msg)).convert(rdb, dir.resolve(name),
                                config.getBoolean("aof-timestamp-enabled") ? timestampAnnotation() : "");
                    } catch (RdbLoadException e) {
                        throw new IOException(e.getMessage(), e);
                    } finally {
                        deleteQuietly(rdb);
                    }
                } else {
                    // nothing was loaded, so the command form of the dataset is empty
                    Files.writeString(dir.resolve(name),
                            config.getBoolean("aof-timestamp-enabled") ? timestampAnnotation() : "");
                }
            } catch (IOException e) {
                throw fatal("Can't create the AOF base file " + name + ": " + e.getMessage());
            }
            // Redis does not count this base in aof_current_size / aof_base_size until the next load or rewrite
            server.log().info("Creating AOF base file {} on server start", name);
        }
        String incr = manifest.lastIncr(prefix());
        try {
            channel = openAppend(dir.resolve(incr), false);
            manifest.persist(dir, prefix());
            written = channel.size();
            synced = written;
        } catch (IOException e) {
            throw fatal("Can't open the append-only file " + incr + ": " + e.getMessage());
        }
        server.log().info(hadIncr ? "Opening AOF incr file {} on server start" : "Creating AOF incr file {} on server start",
                incr);
    }

    private static FileChannel openAppend(Path file, boolean truncate) throws IOException {
        if (truncate) {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    // ---- feeding and writing ----

    /** feedAppendOnlyFile: a timestamp annotation when enabled and the second changed, then the command. */
    @Override
    public synchronized void feed(int db, byte[][] argv) {
        if (state == State.OFF || (state == State.WAIT_REWRITE && rewrite == null)) {
            return; // turning AOF on: commands before the first rewrite starts are in its base
        }
        if (timestamps) {
            long now = System.currentTimeMillis() / 1000;
            if (lastTimestamp < now) {
                byte[] ts = timestampAnnotation().getBytes(StandardCharsets.US_ASCII);
                append(ts, 0, ts.length);
                lastTimestamp = now;
            }
        }
        encoder.feed(db, argv);
        server.replication().countWithoutBacklog();
    }

    private synchronized void append(byte[] b, int off, int len) {
        if (bufLen + len > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + len));
        }
        System.arraycopy(b, off, buf, bufLen, len);
        bufLen += len;
    }

    /** fsync is skipped while a rewrite runs under {@code no-appendfsync-on-rewrite yes}. */
    private boolean fsyncSuspended() {
        return rewrite != null && config.getBoolean("no-appendfsync-on-rewrite");
    }

    private boolean needsAlwaysSync() {
        return fsync == Fsync.ALWAYS && synced < written && !fsyncSuspended();
    }

    /**
     * flushAppendOnlyFile: writes the buffer to the current INCR file; with {@code always} fsyncs it too.
     * A failed write keeps the buffer (retried next time) and turns aof_last_write_status to err.
     */
    synchronized void flushBuffer(boolean forceSync) {
        FileChannel ch = channel;
        if (ch == null) {
            bufLen = 0;
            return;
        }
        if (bufLen > 0) {
            try {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, bufLen);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                written += bufLen;
                currentSize += bufLen;
                bufLen = 0;
                writtenReplOffset = server.replication().offset();
                if (!lastWriteOk) {
                    server.log().warn("AOF write error looks solved, Redis can write again.");
                    lastWriteOk = true;
                }
            } catch (IOException e) {
                if (lastWriteOk) {
                    server.log().warn("Error writing to the AOF file: {}", e.getMessage());
                }
                lastWriteOk = false;
                lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
                return;
            }
        }
        if ((forceSync || fsync == Fsync.ALWAYS) && synced < written && (forceSync || !fsyncSuspended())) {
            long w = written;
            long off = writtenReplOffset;
            try {
                ch.force(false);
                synced = w;
                if (state == State.ON) {
                    fsyncedReplOffset = Math.max(fsyncedReplOffset, off);
                    if (waits.any()) {
                        server.execute(this::checkWaiters);
                    }
                }
            } catch (IOException e) {
                server.log().warn("Can't persist AOF for fsync error: {}", e.getMessage());
                lastWriteOk = false;
                lastWriteError = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }
    }

    /**
     * Before a client's replies leave: the AOF buffer is written first (so a process crash loses no
     * acknowledged write), and under {@code always} the reply waits for the group commit after this loop pass.
     */
    private boolean beforeReplyFlush(ClientConnection c, boolean mayDefer) {
        if (state == State.OFF) {
            return false;
        }
        synchronized (this) {
            if (committing || (bufLen == 0 && !needsAlwaysSync())) {
                return false;
            }
            if (fsync != Fsync.ALWAYS || !mayDefer || fsyncSuspended()) {
                flushBuffer(false);
                return false;
            }
            deferred.add(c);
            if (!commitScheduled) {
                commitScheduled = true;
                server.execute(this::groupCommit);
            }
            return true;
        }
    }

    /** One write + fsync for every reply deferred in this loop pass, then those replies go out. */
    private void groupCommit() {
        List<ClientConnection> clients;
        synchronized (this) {
            commitScheduled = false;
            flushBuffer(false);
            clients = new ArrayList<>(deferred);
            deferred.clear();
            committing = true;
        }
        try {
            for (ClientConnection c : clients) {
                c.flush();
            }
        } finally {
            synchronized (this) {
                committing = false;
            }
        }
    }

    /** appendfsync everysec: the background fsync once a second of what was written. */
    private void fsyncEverySecond() {
        if (fsync != Fsync.EVERYSEC || state == State.OFF || fsyncSuspended()) {
            return;
        }
        FileChannel ch;
        long w;
        long off;
        synchronized (this) {
            ch = channel;
            w = written;
            off = writtenReplOffset;
        }
        if (ch == null || w <= synced) {
            return;
        }
        try {
            ch.force(false);
            if (ch == channel) {
                synced = Math.max(synced, w);
                if (state == State.ON) {
                    fsyncedReplOffset = Math.max(fsyncedReplOffset, off);
                    server.execute(this::checkWaiters);
                }
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // a rewrite switched files: the old one was fsynced when it was closed
        } catch (IOException e) {
            server.log().warn("Error syncing the AOF file: {}", e.getMessage());
        }
    }

    // ---- rewrite ----

    public boolean rewriteInProgress() {
        return rewrite != null;
    }

    /** BGREWRITEAOF: the status reply, or throws the error (bgrewriteaofCommand). */
    public String bgrewriteaof(boolean inTransaction) {
        if (rewrite != null) {
            throw new CommandException(Errors.AOF_REWRITE_IN_PROGRESS);
        }
        if (persistence.bgsaveInProgress() || inTransaction) {
            rewriteScheduled = true;
            consecutiveFailures = 0; // a manual rewrite runs as soon as it can
            return "Background append only file rewriting scheduled";
        }
        if (startRewrite()) {
            return "Background append only file rewriting started";
        }
        throw new CommandException(Errors.AOF_REWRITE_FAILED);
    }

    /** rewriteAppendOnlyFileBackground: a new INCR file from now on, and the base written in the background. */
    private boolean startRewrite() {
        if (rewrite != null || persistence.bgsaveInProgress()) {
            return false;
        }
        Path dir = aofDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            server.log().warn("Can't open or create append-only dir {}: {}", config.get("appenddirname"),
                    e.getMessage());
            lastRewriteOk = false;
            return false;
        }
        synchronized (this) {
            flushBuffer(true);
            encoder.forgetSelectedDb();
            lastTimestamp = 0;
            try {
                if (state == State.WAIT_REWRITE) {
                    tempIncr = dir.resolve("temp-" + prefix() + ".incr");
                    switchChannel(openAppend(tempIncr, true));
                } else if (state == State.ON) {
                    openNewIncr(dir);
                }
            } catch (IOException e) {
                server.log().warn("Can't open new incr AOF: {}", e.getMessage());
                lastRewriteOk = false;
                return false;
            }
        }
        long pid = ProcessHandle.current().pid();
        Path temp = Path.of(config.get("dir")).resolve("temp-rewriteaof-" + pid + ".aof");
        Path target = Path.of(config.get("dir")).resolve("temp-rewriteaof-bg-" + pid + ".aof");
        long gen = ++rewriteGeneration;
        rewriteStartMillis = System.currentTimeMillis();
        rewrites++;
        boolean rdbBase = config.getBoolean("aof-use-rdb-preamble");
        Path snapshotFile = rdbBase ? target : Path.of(config.get("dir")).resolve("temp-rewriteaof-bg-" + pid + ".rdb");
        String ts = config.getBoolean("aof-timestamp-enabled") ? timestampAnnotation() : null;
        try {
            rewrite = persistence.startAofSnapshot(temp, snapshotFile, e -> {
                if (e != null || rdbBase) {
                    rewriteDone(gen, target, rdbBase, e);
                } else {
                    convertInBackground(gen, snapshotFile, target, ts);
                }
            });
        } catch (IOException | RuntimeException e) {
            server.log().warn("Can't rewrite append only file in background: {}", e.getMessage());
            rewrite = null;
            lastRewriteOk = false;
            return false;
        }
        rewriteScheduled = false;
        server.log().info("Background append only file rewriting started");
        return true;
    }

    /** openNewIncrAofForAppend: the manifest names the new INCR file before commands go to it. */
    private void openNewIncr(Path dir) throws IOException {
        AofManifest am = manifest.copy();
        String name = am.newIncr(prefix());
        FileChannel ch = openAppend(dir.resolve(name), true);
        try {
            am.persist(dir, prefix());
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(dir.resolve(name));
            throw e;
        }
        manifest = am;
        switchChannel(ch);
        server.log().info("Creating AOF incr file {} on background rewrite", name);
    }

    /** The old file is fsynced and closed; the new one starts empty. */
    private void switchChannel(FileChannel ch) throws IOException {
        FileChannel old = channel;
        channel = ch;
        written = ch.size();
        synced = written;
        if (old != null) {
            try {
                old.force(false);
            } finally {
                old.close();
            }
        }
    }

    private static String timestampAnnotation() {
        return "#TS:" + System.currentTimeMillis() / 1000 + "\r\n";
    }

    /** aof-use-rdb-preamble no: the snapshot's RDB becomes commands on a thread of its own. */
    private void convertInBackground(long gen, Path rdb, Path target, String ts) {
        AofCommandBase base = new AofCommandBase(new ValueCodec(server.plugins().dataTypes()), server.databaseCount(),
                msg -> server.log().warn("{}", msg));
        Thread t = new Thread(() -> {
            Throwable error = null;
            try {
                base.convert(rdb, target, ts);
            } catch (IOException | RdbLoadException | RuntimeException e) {
                error = e;
            }
            deleteQuietly(rdb);
            Throwable r = error;
            server.execute(() -> rewriteDone(gen, target, false, r));
        }, "cinnabar-aof-rewrite");
        t.setDaemon(true);
        t.start();
    }

    /** backgroundRewriteDoneHandler. */
    private void rewriteDone(long gen, Path target, boolean rdbBase, Throwable error) {
        if (gen != rewriteGeneration || rewrite == null) {
            deleteQuietly(target);
            return; // killed meanwhile
        }
        rewrite.detach();
        rewrite = null;
        long now = System.currentTimeMillis();
        lastRewriteTimeSec = (now - rewriteStartMillis) / 1000;
        Path dir = aofDir();
        if (error == null) {
            server.log().info("Background AOF rewrite terminated with success");
            try {
                finishRewrite(dir, target, rdbBase);
                lastRewriteOk = true;
                consecutiveFailures = 0;
                server.log().info("Background AOF rewrite finished successfully");
                return;
            } catch (IOException e) {
                server.log().warn("Error trying to finish the AOF rewrite: {}", e.getMessage());
            }
        } else {
            server.log().warn("Background AOF rewrite terminated with error: {}", error.getMessage());
        }
        deleteQuietly(target);
        lastRewriteOk = false;
        consecutiveFailures++;
        lastFailureMillis = now;
        if (state == State.WAIT_REWRITE) {
            rewriteScheduled = true; // AOF is being turned on: try again
        }
    }

    private void finishRewrite(Path dir, Path target, boolean rdbBase) throws IOException {
        AofManifest am = manifest.copy();
        String baseName = am.newBase(prefix(), rdbBase);
        Path basePath = dir.resolve(baseName);
        Files.move(target, basePath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        server.log().info("Successfully renamed the temporary AOF base file {} into {}", target.getFileName(), baseName);
        String newIncr = null;
        if (state == State.WAIT_REWRITE) {
            newIncr = am.newIncr(prefix());
            Files.move(tempIncr, dir.resolve(newIncr), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            server.log().info("Successfully renamed the temporary AOF incr file {} into {}", tempIncr.getFileName(),
                    newIncr);
        }
        am.markRewrittenIncrAsHistory(channel != null);
        am.persist(dir, prefix());
        manifest = am;
        if (state == State.WAIT_REWRITE) {
            tempIncr = null;
            state = State.ON;
            synchronized (this) {
                flushBuffer(true);
                fsyncedReplOffset = writtenReplOffset;
            }
        }
        baseSize = Files.size(basePath);
        if (channel != null) {
            currentSize = baseSize + written;
            baseSize = currentSize;
        }
        deleteHistory();
    }

    /** aofDelHistoryFiles: history files are removed, then the manifest stops naming them. */
    private void deleteHistory() {
        if (manifest.history.isEmpty() || config.getBoolean("aof-disable-auto-gc")) {
            return;
        }
        Path dir = aofDir();
        for (AofManifest.Entry e : manifest.history) {
            server.log().info("Removing the history file {} in the background", e.name());
            deleteQuietly(dir.resolve(e.name()));
        }
        AofManifest am = manifest.copy();
        am.history.clear();
        try {
            am.persist(dir, prefix());
            manifest = am;
        } catch (IOException e) {
            server.log().warn("Error persisting the AOF manifest: {}", e.getMessage());
        }
    }

    /** killAppendOnlyChild: the background rewrite stops and its temp files go. */
    private void killRewrite() {
        Snapshot s = rewrite;
        if (s == null) {
            return;
        }
        rewrite = null;
        rewriteGeneration++;
        s.cancel();
        lastRewriteTimeSec = (System.currentTimeMillis() - rewriteStartMillis) / 1000;
        long pid = ProcessHandle.current().pid();
        deleteQuietly(Path.of(config.get("dir")).resolve("temp-rewriteaof-bg-" + pid + ".aof"));
        deleteQuietly(Path.of(config.get("dir")).resolve("temp-rewriteaof-bg-" + pid + ".rdb"));
        if (state == State.WAIT_REWRITE && tempIncr != null) {
            closeChannel();
            deleteQuietly(tempIncr);
            tempIncr = null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more to do about a temp file that cannot be removed
        }
    }

    // ---- turning AOF on and off ----

    private void configChanged(String name, String value) {
        switch (name) {
            case "appendfsync" -> fsync = parseFsync(value);
            case "aof-timestamp-enabled" -> timestamps = "yes".equals(value);
            case "appendonly" -> {
                boolean on = "yes".equals(value);
                if (on && state == State.OFF) {
                    startAppendOnly();
                } else if (!on && state != State.OFF) {
                    stopAppendOnly();
                }
            }
            default -> {
                // other parameters are read when used
            }
        }
    }

    private static Fsync parseFsync(String v) {
        return switch (v == null ? "everysec" : v) {
            case "always" -> Fsync.ALWAYS;
            case "no" -> Fsync.NO;
            default -> Fsync.EVERYSEC;
        };
    }

    /** startAppendOnly: WAIT_REWRITE until a rewrite has written the dataset as a new base. */
    private void startAppendOnly() {
        state = State.WAIT_REWRITE;
        server.propagator().addTarget(this);
        if (persistence.bgsaveInProgress()) {
            rewriteScheduled = true;
            server.log().info("AOF was enabled but there is already another background operation. An AOF background "
                    + "was scheduled to start when possible.");
        } else if (!startRewrite()) {
            state = State.OFF;
            server.propagator().removeTarget(this);
            server.log().warn("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. "
                    + "Check the above logs for more info about the error.");
            throw new IllegalArgumentException("Unable to turn on AOF. Check server logs.");
        }
    }

    /**
     * restartAOFAfterSYNC: a replica replaced its dataset with its master's snapshot, so the AOF starts over
     * with a rewrite of the new dataset (until it ends, the previous files stay what a restart would load).
     */
    private void restartAfterSync() {
        if (state == State.OFF) {
            return;
        }
        stopAppendOnly();
        try {
            startAppendOnly();
        } catch (IllegalArgumentException e) {
            server.log().warn("Failed enabling the AOF after successful master synchronization! Trying it again "
                    + "in one second.");
            rewriteScheduled = true;
            state = State.WAIT_REWRITE;
            server.propagator().addTarget(this);
        }
    }

    /** stopAppendOnly: flushed, fsynced and closed; a rewrite in progress is stopped. */
    private void stopAppendOnly() {
        synchronized (this) {
            flushBuffer(true);
        }
        killRewrite();
        closeChannel();
        state = State.OFF;
        fsyncedReplOffset = -1;
        rewriteScheduled = false;
        server.propagator().removeTarget(this);
    }

    private synchronized void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        bufLen = 0;
        if (ch != null) {
            try {
                ch.force(false);
                ch.close();
            } catch (IOException e) {
                server.log().warn("Error closing the AOF file: {}", e.getMessage());
            }
        }
    }

    // ---- WAITAOF ----

    /** fsynced_reploff: what the AOF has fsynced, in replication offset terms (-1 with AOF off). */
    public long fsyncedReplOffset() {
        return fsyncedReplOffset;
    }

    /**
     * beforeSleep's "all data is fsynced already": with nothing pending the fsynced offset follows the
     * replication offset, which also moves for what only replicas get (PING, GETACK).
     */
    void catchUpFsyncedOffset() {
        if (state != State.ON || fsync == Fsync.NO) {
            return;
        }
        synchronized (this) {
            if (bufLen == 0 && synced == written) {
                fsyncedReplOffset = Math.max(fsyncedReplOffset, server.replication().offset());
            }
        }
    }

    /** WAITAOF after its argument checks (see {@link AofWaits}). */
    public void waitaof(ClientConnection c, long numLocal, long numReplicas, long timeoutMillis, boolean mayBlock) {
        waits.waitaof(c, numLocal, numReplicas, timeoutMillis, mayBlock);
    }

    private void checkWaiters() {
        waits.check();
    }

    // ---- cron, gate, call listener, shutdown ----

    /** serverCron's AOF part: buffered writes out, a scheduled rewrite, the automatic rewrite. */
    private void cron() {
        if (state != State.OFF) {
            synchronized (this) {
                if (bufLen > 0 || needsAlwaysSync()) {
                    flushBuffer(false);
                }
            }
            catchUpFsyncedOffset();
            checkWaiters();
        }
        if (rewrite != null || persistence.bgsaveInProgress() || server.isShuttingDown()) {
            return;
        }
        boolean limited = consecutiveFailures >= REWRITE_FAILURES_BEFORE_DELAY
                && System.currentTimeMillis() - lastFailureMillis < REWRITE_RETRY_DELAY_MILLIS;
        if (rewriteScheduled && !limited) {
            startRewrite();
            return;
        }
        long perc = config.getLong("auto-aof-rewrite-percentage");
        if (state == State.ON && perc > 0 && currentSize > config.getLong("auto-aof-rewrite-min-size") && !limited) {
            long base = baseSize > 0 ? baseSize : 1;
            long growth = currentSize * 100 / base - 100;
            if (growth >= perc) {
                server.log().info("Starting automatic rewriting of AOF on {}% growth", growth);
                startRewrite();
            }
        }
    }

    /** -MISCONF for writes while the AOF cannot be written (Redis's writeCommandsDeniedByDiskError). */
    private boolean gate(ClientConnection client, Command cmd, Args args, RespWriter reply) {
        if (startup.rejects(client) && !cmd.spec().has(CommandFlag.LOADING)) {
            reply.error(Errors.LOADING);
            return true;
        }
        if (lastWriteOk || state == State.OFF || client.isMaster()) {
            return false;
        }
        boolean write = cmd.spec().has(CommandFlag.WRITE) || cmd.fullName().equals("ping");
        if (write) {
            reply.error(Errors.aofWriteFailed(lastWriteError));
            return true;
        }
        return false;
    }

    /** While the rewrite's snapshot runs, keys a write names are preserved before it changes them in place. */
    private void beforeCall(ClientConnection client, Command cmd, Args args) {
        Snapshot s = rewrite;
        if (s == null || !cmd.spec().has(CommandFlag.WRITE)) {
            return;
        }
        int n = KeyExtractor.find(cmd.spec(), args, keysScratch);
        Database db = server.db(client.dbIndex());
        for (int i = 0; i < n; i++) {
            int pos = keysScratch.position(i);
            if (pos < args.size()) {
                s.beforeChange(db, args.get(pos));
            }
        }
    }

    /** prepareForShutdown's AOF part. */
    private boolean prepareShutdown(CinnabarServer.ShutdownRequest request) {
        if (state == State.OFF) {
            return true;
        }
        if (rewrite != null) {
            if (state == State.WAIT_REWRITE) {
                if (!request.force()) {
                    server.log().warn("Writing initial AOF, can't exit.");
                    return false;
                }
                server.log().warn("Writing initial AOF. Exit anyway.");
            }
            server.log().warn("There is a child rewriting the AOF. Killing it!");
            killRewrite();
        }
        server.log().info("Calling fsync() on the AOF file.");
        synchronized (this) {
            flushBuffer(true);
        }
        return true;
    }

    private void close() {
        if (fsyncThread != null) {
            fsyncThread.shutdownNow();
        }
        synchronized (this) {
            flushBuffer(true);
        }
        closeChannel();
    }

    // ---- INFO ----

    private void infoFields(InfoSection.InfoWriter w) {
        w.field("aof_enabled", state != State.OFF ? 1 : 0)
                .field("aof_rewrite_in_progress", rewrite != null ? 1 : 0)
                .field("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0)
                .field("aof_last_rewrite_time_sec", lastRewriteTimeSec)
                .field("aof_current_rewrite_time_sec",
                        rewrite == null ? -1 : (System.currentTimeMillis() - rewriteStartMillis) / 1000)
                .field("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err")
                .field("aof_rewrites", rewrites)
                .field("aof_rewrites_consecutive_failures", consecutiveFailures)
                .field("aof_last_write_status", lastWriteOk ? "ok" : "err")
                .field("aof_last_cow_size", 0);
    }

    private void infoTail(InfoSection.InfoWriter w) {
        if (!config.getBoolean("appendonly")) {
            return;
        }
        w.field("aof_current_size", currentSize)
                .field("aof_base_size", baseSize)
                .field("aof_pending_rewrite", rewriteScheduled ? 1 : 0)
                .field("aof_buffer_length", bufLen)
                .field("aof_pending_bio_fsync", 0)
                .field("aof_delayed_fsync", 0);
    }
}
