package io.cinnabar.kernel.server;

import io.cinnabar.api.CommandException;
import io.cinnabar.api.CommandFamily;
import io.cinnabar.api.CommandSpec;
import io.cinnabar.api.ConfigParameter;
import io.cinnabar.api.Errors;
import io.cinnabar.api.KeyspaceEventListener;
import io.cinnabar.api.KeyspaceEvents;
import io.cinnabar.api.ServerContext;
import io.cinnabar.kernel.command.CommandTable;
import io.cinnabar.kernel.command.Dispatcher;
import io.cinnabar.kernel.commands.KernelFamilies;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.info.ServerInfo;
import io.cinnabar.kernel.info.ServerMetrics;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.keyspace.KeyspaceHooks;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.net.RespWriter;
import io.cinnabar.kernel.net.Transport;
import io.cinnabar.kernel.plugin.PluginHost;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of a running node: configuration, databases, command table, dispatcher, clients, stats and
 * the transport. Everything that touches the keyspace runs on the transport's single event loop (the
 * execution thread).
 */
public final class CinnabarServer implements KeyspaceHooks, ServerContext {
    public static final String VERSION = "7.2.6";
    private static final Logger LOG = LoggerFactory.getLogger("cinnabar");

    private final Config config;
    private final CommandTable commands = new CommandTable();
    private final Dispatcher dispatcher;
    private final ServerStats stats = new ServerStats();
    private final Clients clients = new Clients(this);
    private final WatchRegistry watches = new WatchRegistry();
    private final BlockingRegistry blocking = new BlockingRegistry(this);
    private final io.cinnabar.kernel.propagation.Propagator propagator = new io.cinnabar.kernel.propagation.Propagator();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final List<KeyspaceEventListener> keyspaceListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<ClientConnection>> closeListeners = new CopyOnWriteArrayList<>();
    private final PluginHost plugins;
    private final io.cinnabar.kernel.diagnostics.Diagnostics diagnostics;
    private java.util.concurrent.ScheduledFuture<?> cronTask;
    private volatile boolean activeExpireEnabled = true;
    private volatile boolean cronPaused;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ServerInfo info;
    private final List<ShutdownStep> shutdownSteps = new CopyOnWriteArrayList<>();
    private final long startMillis = System.currentTimeMillis();
    private final String runId = RunId.random();
    private Database[] dbs;
    private io.cinnabar.kernel.storage.StorageEngine storage;
    private boolean storageRestored;
    private io.cinnabar.kernel.cluster.Cluster cluster;
    private Transport transport;
    private long cachedNow = System.currentTimeMillis();
    private int clockFrozen;
    private boolean writesPaused;
    private ClientConnection currentClient;
    private volatile boolean shuttingDown;
    private final LruClock lruClock;
    private final io.cinnabar.kernel.net.KeyPrefetcher keyPrefetcher = new io.cinnabar.kernel.net.KeyPrefetcher();
    private volatile io.cinnabar.kernel.net.OutputBufferLimits outputBufferLimits;
    private final List<io.cinnabar.api.KeyspaceSignals> keyspaceSignals = new CopyOnWriteArrayList<>();
    private final List<java.util.Map.Entry<CommandSpec, String>> pendingJoins = new java.util.ArrayList<>();
    private final io.cinnabar.kernel.replication.Replication replication;
    private final io.cinnabar.kernel.persistence.Persistence persistence;
    private final io.cinnabar.kernel.persistence.AppendOnlyFile appendOnlyFile;
    private volatile ReplyFlushHook replyFlushHook;

    public CinnabarServer(Config config) {
        this.config = config;
        this.dispatcher = new Dispatcher(this, commands);
        this.plugins = new PluginHost(this);
        this.diagnostics = new io.cinnabar.kernel.diagnostics.Diagnostics(this);
        dispatcher.addObserver(diagnostics);
        this.lruClock = new LruClock(config);
        this.info = new ServerInfo(this);
        this.replication = new io.cinnabar.kernel.replication.Replication(this);
        this.persistence = new io.cinnabar.kernel.persistence.Persistence(this);
        addConfig(ConfigParameter.oneOf("storage-engine", "heap", "heap", "mapped").asImmutable());
        addConfig(ConfigParameter.integer("mapped-max-keys", 1_000_000, 1024, Long.MAX_VALUE).asImmutable());
        replication.setSnapshotSource(persistence);
        this.appendOnlyFile = new io.cinnabar.kernel.persistence.AppendOnlyFile(this, persistence);
        dispatcher.addObserver(metrics);
        metrics.setLatencyTracking(config.getBoolean("latency-tracking"));
        this.outputBufferLimits = io.cinnabar.kernel.net.OutputBufferLimits.parse(config.get("client-output-buffer-limit"));
        config.onChange((name, value) -> {
            if (name.equals("client-output-buffer-limit")) {
                outputBufferLimits = io.cinnabar.kernel.net.OutputBufferLimits.parse(value);
            }
            if (name.equals("latency-tracking")) {
                metrics.setLatencyTracking(config.getBoolean("latency-tracking"));
            }
        });
    }

    /** Registers the kernel's families, loads plugins, creates databases, binds the port. */
    public void start() throws InterruptedException {
        for (CommandFamily f : KernelFamilies.all(this)) {
            addFamily(f, "kernel");
        }
        plugins.load();
        for (java.util.Map.Entry<CommandSpec, String> j : pendingJoins) {
            if (!commands.join(j.getKey(), j.getValue())) {
                LOG.warn("subcommands of '{}' from {} have no container to join", j.getKey().name(), j.getValue());
            }
        }
        pendingJoins.clear();
        try {
            config.finishLoading();
        } catch (io.cinnabar.kernel.config.ConfigError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        int n = config.getInt("databases");
        boolean cluster = config.getBoolean("cluster-enabled");
        dbs = new Database[cluster ? 1 : n];
        for (int i = 0; i < dbs.length; i++) {
            dbs[i] = new Database(i, cluster, this);
        }
        openStorage();
        persistence.install(); // before the port is bound: the first client may already need -LOADING
        transport = new Transport(this);
        transport.start();
        try {
            persistence.start(); // loads the RDB file; clients meanwhile get -LOADING
            appendOnlyFile.start(); // with appendonly yes, loads the AOF instead
        } catch (IllegalStateException e) {
            shutdown();
            throw e;
        }
        if (cluster) {
            startCluster();
        }
        plugins.startLifecycles();
        rescheduleCron();
        io.cinnabar.kernel.config.LiveSettings.install(this);
        metrics.markStartup();
        transport.loop().scheduleAtFixedRate(new ReplicationCron(), 1, 1, TimeUnit.SECONDS);
        String master = config.get("replicaof");
        String id = persistence.loadedReplId();
        long offset = persistence.loadedReplOffset();
        transport.loop().execute(() -> {
            if (id != null) {
                // a restarted replica, or master, continues the history its RDB recorded (replicas PSYNC)
                replication.adoptHistory(id, offset);
            }
            if (master != null && !master.isEmpty()) {
                String[] hp = master.split(" ");
                replication.follow(hp[0], Integer.parseInt(hp[1]), id == null);
            }
        });
        transport.loop().scheduleAtFixedRate(() -> metrics.sample(stats, System.currentTimeMillis()),
                ServerMetrics.SAMPLE_PERIOD_MILLIS, ServerMetrics.SAMPLE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Ready to accept connections tcp");
    }

    /**
     * Opens the configured storage engine, gives each database its value store and lets the engine restore the
     * keyspace it kept (a warm restart of the mapped engine, after which persistence loads no snapshot).
     */
    private void openStorage() {
        storage = config.get("storage-engine").equals("mapped")
                ? new io.cinnabar.kernel.storage.MappedEngine(java.nio.file.Path.of(config.get("dir")),
                        config.getLong("mapped-max-keys"), this::aofFingerprint)
                : new io.cinnabar.kernel.storage.HeapEngine();
        for (Database db : dbs) {
            db.setValueStore(storage.valueStore(db.id()));
        }
        storageRestored = storage.restore(dbs, persistence.codec());
        LOG.info("Storage engine: {}", storage.describe());
        onShutdown(this::closeStorage);
    }

    /** The fingerprint of the AOF on disk while appendonly is on, else null (see the mapped engine). */
    private String aofFingerprint() {
        return config.getBoolean("appendonly") ? io.cinnabar.kernel.persistence.AofFingerprint.of(
                java.nio.file.Path.of(config.get("dir")), config.get("appenddirname"), config.get("appendfilename"))
                : null;
    }

    /** The engine's clean shutdown, on the execution thread so no command runs meanwhile (SIGTERM comes elsewhere). */
    private void closeStorage() {
        if (transport == null || transport.loop().inEventLoop() || transport.loop().isShuttingDown()) {
            storage.shutdown(dbs, persistence.codec());
            return;
        }
        try {
            transport.loop().submit(() -> storage.shutdown(dbs, persistence.codec())).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("storage engine shutdown failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The storage engine (config storage-engine). */
    public io.cinnabar.kernel.storage.StorageEngine storage() {
        return storage;
    }

    /** True when the storage engine restored the keyspace at startup (no RDB/AOF load then). */
    public boolean storageRestored() {
        return storageRestored;
    }

    /** Cluster mode: nodes.conf, the bus, the dispatcher's slot check, per-connection cluster flags. */
    private void startCluster() {
        this.cluster = new io.cinnabar.kernel.cluster.Cluster(this);
        // the cluster view decides who replicates whom; replication moves the data
        cluster.setReplicationOffset(replication::offset);
        cluster.addMasterListener((host, port) -> transport.loop().execute(() -> {
            if (host == null) {
                replication.promote();
            } else if (!replication.follows(host, port)) {
                replication.follow(host, port);
            }
        }));
        try {
            this.cluster.start();
        } catch (IllegalStateException e) {
            transport.stop();
            throw e;
        }
        dispatcher.addFirstGate(this.cluster.router());
        clients.onReset(c -> {
            c.setClusterAsking(false);
            c.setClusterReadonly(false);
        });
    }

    /** PUBLISH/SPUBLISH over the cluster bus; null in standalone mode. */
    @Override
    public io.cinnabar.api.ClusterPubSub clusterPubSub() {
        return cluster == null ? null : cluster.pubSub();
    }

    /** The cluster part, or null when cluster-enabled is no. */
    public io.cinnabar.kernel.cluster.Cluster cluster() {
        return cluster;
    }

    /** (Re)schedules the server cron at the current hz (startup, CONFIG SET hz). */
    public void rescheduleCron() {
        if (cronTask != null) {
            cronTask.cancel(false);
        }
        long period = Math.max(1, 1000 / Math.max(1, config.getInt("hz")));
        cronTask = transport.loop().scheduleAtFixedRate(new Cron(this), period, period, TimeUnit.MILLISECONDS);
    }

    /** DEBUG SET-ACTIVE-EXPIRE: whether the cron expires keys in the background. */
    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    public void setActiveExpireEnabled(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    /** DEBUG PAUSE-CRON: whether the server cron is suspended. */
    public boolean cronPaused() {
        return cronPaused;
    }

    public void setCronPaused(boolean paused) {
        this.cronPaused = paused;
    }

    /** Slow log, latency monitor and histograms, MONITOR feed. */
    public io.cinnabar.kernel.diagnostics.Diagnostics diagnostics() {
        return diagnostics;
    }

    /** Replication: ids and offsets, backlog, replicas, the link to a master. */
    public io.cinnabar.kernel.replication.Replication replication() {
        return replication;
    }

    /** Registers a family's commands; a duplicate name is logged and the later one wins. */
    public void addFamily(CommandFamily family, String origin) {
        for (CommandSpec spec : family.commands()) {
            if (spec.joinsContainer()) {
                if (!commands.join(spec, origin)) {
                    pendingJoins.add(java.util.Map.entry(spec, origin)); // its container may come later
                }
                continue;
            }
            if (commands.register(spec, origin) != null) {
                LOG.warn("command '{}' from {} replaces an earlier registration", spec.name(), origin);
            }
        }
    }

    public void addConfig(ConfigParameter p) {
        config.register(p);
    }

    public void addKeyspaceListener(KeyspaceEventListener l) {
        keyspaceListeners.add(l);
    }

    public void onShutdown(Runnable r) {
        shutdownHooks.add(r);
    }

    public void onClientClose(java.util.function.Consumer<ClientConnection> l) {
        closeListeners.add(l);
    }

    /** Stops accepting, runs shutdown hooks, closes every connection. */
    public void shutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        LOG.info("User requested shutdown...");
        for (Runnable r : shutdownHooks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("shutdown hook failed", e);
            }
        }
        try {
            plugins.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping plugins failed", e); // never keeps the server from going down
        }
        if (transport != null) {
            transport.stop();
        }
        LOG.info("Redis is now ready to exit, bye bye...");
    }

    /** What SHUTDOWN asked for; the steps decide from it (e.g. persistence saves unless {@code noSave}). */
    public record ShutdownRequest(boolean save, boolean noSave, boolean now, boolean force) {
    }

    /** Work that must succeed before SHUTDOWN stops the server (the final save); false refuses to stop. */
    public interface ShutdownStep {
        boolean prepare(ShutdownRequest request);
    }

    /** Adds a step to SHUTDOWN's preparation (Redis's prepareForShutdown: save, flush AOF, ...). */
    public void onPrepareShutdown(ShutdownStep step) {
        shutdownSteps.add(step);
    }

    /**
     * Runs every preparation step; true when the server may stop: all succeeded, or FORCE was given
     * (failures are logged either way, as Redis logs "Errors trying to shut down the server").
     */
    public boolean prepareShutdown(ShutdownRequest request) {
        boolean ok = true;
        for (ShutdownStep step : shutdownSteps) {
            try {
                if (!step.prepare(request)) {
                    ok = false;
                }
            } catch (RuntimeException e) {
                LOG.warn("shutdown step failed", e);
                ok = false;
            }
        }
        if (!ok) {
            LOG.warn(request.force() ? "Errors trying to shut down the server. FORCE given: exiting anyway."
                    : "Errors trying to shut down the server. Check the logs for more information.");
        }
        return ok || request.force();
    }

    /**
     * SIGTERM/SIGINT: the SHUTDOWN preparation {@code shutdown-on-sigterm} (or {@code -sigint}) asks for (by
     * default: the final save when save points exist) runs on the execution thread, then the server stops.
     * A JVM shutdown cannot be refused, so a failed preparation is only logged.
     */
    public void shutdownOnSignal(String signalConfig) {
        if (shuttingDown || transport == null) {
            shutdown();
            return;
        }
        String flags = " " + config.get(signalConfig) + " ";
        ShutdownRequest request = new ShutdownRequest(flags.contains(" save "), flags.contains(" nosave "),
                flags.contains(" now "), true);
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        execute(() -> {
            try {
                prepareShutdown(request);
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(config.getInt("shutdown-timeout") + 60L, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown preparation did not finish: {}", e.toString());
        }
        shutdown();
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public void awaitTermination() throws InterruptedException {
        transport.awaitTermination();
    }

    // ---- clock ----

    /** The last reading of both clocks (the wall clock in ns since the epoch), which {@link #tickClock} advances. */
    private long clockNanos = System.nanoTime();
    private long clockWallNanos = wallNanos();

    private static long wallNanos() {
        java.time.Instant t = java.time.Instant.now(); // microseconds on Linux, where currentTimeMillis drops them
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Reads the wall clock (the cron, 10 times a second, and where a fresh reading matters) and refreshes the
     * cached command clock unless a transaction or script froze it.
     */
    public void refreshClock() {
        clockNanos = System.nanoTime();
        clockWallNanos = wallNanos();
        if (clockFrozen == 0) {
            cachedNow = clockWallNanos / 1_000_000;
        }
    }

    /**
     * The clock at a command's start with one clock read (each costs tens of ns on a VM): the wall clock as of
     * the last {@link #refreshClock} advanced by the monotonic clock, never behind the cached value. Returns
     * that {@link System#nanoTime}, or takes {@code nanos} as the reading when it is not 0 (one just made).
     */
    public long tickClock(long nanos) {
        long n = nanos != 0 ? nanos : System.nanoTime();
        if (clockFrozen == 0) {
            cachedNow = Math.max(cachedNow, (clockWallNanos + (n - clockNanos)) / 1_000_000);
        }
        return n;
    }

    public void freezeClock() {
        if (clockFrozen++ == 0) {
            cachedNow = System.currentTimeMillis();
        }
    }

    public void unfreezeClock() {
        clockFrozen--;
    }

    @Override
    public long now() {
        return cachedNow;
    }

    // ---- KeyspaceHooks ----

    @Override
    public boolean mayDeleteExpired() {
        // a replica never deletes keys itself: its master sends the DELs (Redis's expireIfNeeded)
        return !writesPaused && !replication.isReplica();
    }

    @Override
    public boolean keysNeverExpire() {
        // commands from the master see keys until the master deletes them
        return currentClient != null && currentClient.isMaster();
    }

    @Override
    public void onExpired(Database db, byte[] key) {
        stats.expiredKeys++;
        if (propagator.active()) {
            propagateDeletion(db.id(), key, config.getBoolean("lazyfree-lazy-expire"));
        }
        watches.touch(db.id(), key);
        for (io.cinnabar.api.KeyspaceSignals s : keyspaceSignals) {
            s.keyModified(db.id(), key, null);
        }
        notifyKeyspaceEvent(KeyspaceEvents.EXPIRED, "expired", key, db.id());
    }

    @Override
    public void onNewKey(Database db, byte[] key) {
        notifyKeyspaceEvent(KeyspaceEvents.NEW, "new", key, db.id());
    }

    @Override
    public int accessStamp(int previous) {
        return lruClock.access(previous, cachedNow);
    }

    @Override
    public int creationStamp() {
        return lruClock.creation(cachedNow);
    }

    /** The command executing for the current client, or null outside command execution. */
    private io.cinnabar.kernel.command.Command currentCommand() {
        return currentClient == null ? null : currentClient.currentCommand();
    }

    @Override
    public int lookupFlags() {
        io.cinnabar.kernel.command.Command cmd = currentCommand();
        if (cmd == null) {
            return Database.LOOKUP_NOSTATS | Database.LOOKUP_NONOTIFY;
        }
        return cmd.spec().has(io.cinnabar.api.CommandFlag.WRITE) ? Database.LOOKUP_WRITE : 0;
    }

    @Override
    public boolean touchSuppressed() {
        // CLIENT NO-TOUCH leaves access stamps alone, except for TOUCH itself (Redis's lookupKey)
        io.cinnabar.kernel.command.Command cmd = currentCommand();
        return cmd != null && currentClient.noTouch() && !cmd.fullName().equals("touch");
    }

    @Override
    public void onReadLookup(Database db, byte[] key, boolean hit, int flags) {
        if ((flags & Database.LOOKUP_NOSTATS) == 0) {
            if (hit) {
                stats.keyspaceHits++;
            } else {
                stats.keyspaceMisses++;
            }
        }
        if (!hit && (flags & Database.LOOKUP_NONOTIFY) == 0) {
            notifyKeyspaceEvent(KeyspaceEvents.KEY_MISS, "keymiss", key, db.id());
        }
    }

    public LruClock lruClock() {
        return lruClock;
    }

    /** The client whose command is executing (Redis's server.current_client), or null. */
    public ClientConnection currentClient() {
        return currentClient;
    }

    public void setCurrentClient(ClientConnection c) {
        this.currentClient = c;
    }

    public void setWritesPaused(boolean paused) {
        this.writesPaused = paused;
    }

    public void notifyKeyspaceEvent(int eventClass, String event, byte[] key, int dbIndex) {
        for (KeyspaceEventListener l : keyspaceListeners) {
            l.onEvent(eventClass, event, key, dbIndex);
        }
    }

    // ---- ServerContext (plugins) ----

    @Override
    public Config config() {
        return config;
    }

    /** The execution thread's look-ahead over pipelined commands' keys. */
    public io.cinnabar.kernel.net.KeyPrefetcher keyPrefetcher() {
        return keyPrefetcher;
    }

    @Override
    public Database db(int index) {
        return dbs[index];
    }

    /** Database {@code index} or {@link Errors#DB_INDEX_OUT_OF_RANGE}. */
    public Database dbChecked(long index) {
        if (index < 0 || index >= dbs.length) {
            throw new CommandException(Errors.DB_INDEX_OUT_OF_RANGE);
        }
        return dbs[(int) index];
    }

    public int databaseCount() {
        return dbs.length;
    }

    public Database[] databases() {
        return dbs;
    }

    @Override
    public void execute(Runnable task) {
        transport.loop().execute(task);
    }

    @Override
    public void signalModifiedKey(int dbIndex, byte[] key) {
        watches.touch(dbIndex, key);
        blocking.signal(dbIndex, key);
        for (io.cinnabar.api.KeyspaceSignals s : keyspaceSignals) {
            s.keyModified(dbIndex, key, currentClient);
        }
    }

    /** Redis's signalFlushedDb for client-side caching: FLUSHDB of {@code dbIndex}, FLUSHALL as -1. */
    public void signalFlushedDb(int dbIndex) {
        for (io.cinnabar.api.KeyspaceSignals s : keyspaceSignals) {
            s.flushed(dbIndex);
        }
    }

    @Override
    public void addKeyspaceSignals(io.cinnabar.api.KeyspaceSignals signals) {
        keyspaceSignals.add(signals);
    }

    /** The receivers of key reads and changes (client-side caching); the dispatcher reports reads to them. */
    public List<io.cinnabar.api.KeyspaceSignals> keyspaceSignals() {
        return keyspaceSignals;
    }

    @Override
    public void scheduleAtFixedRate(Runnable task, long periodMillis) {
        transport.loop().scheduleAtFixedRate(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    // ---- accessors ----

    /** The append-only file: BGREWRITEAOF, fsync policies, AOF loading. */
    public io.cinnabar.kernel.persistence.AppendOnlyFile appendOnlyFile() {
        return appendOnlyFile;
    }

    /**
     * Runs before a client's replies are flushed (the AOF writes, and under appendfsync always fsyncs, what
     * those replies acknowledge). Returns true when the hook took the flush over: it calls
     * {@link ClientConnection#flush()} again later. {@code mayDefer} false: it must finish its work now.
     */
    public interface ReplyFlushHook {
        boolean beforeReplyFlush(ClientConnection c, boolean mayDefer);
    }

    public void setReplyFlushHook(ReplyFlushHook hook) {
        this.replyFlushHook = hook;
    }

    /** True when the reply flush hook deferred this client's flush. */
    public boolean deferReplyFlush(ClientConnection c, boolean mayDefer) {
        ReplyFlushHook h = replyFlushHook;
        return h != null && h.beforeReplyFlush(c, mayDefer);
    }

    /** RDB persistence: SAVE/BGSAVE, save points, loading. */
    public io.cinnabar.kernel.persistence.Persistence persistence() {
        return persistence;
    }

    public CommandTable commands() {
        return commands;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Rates, memory peak and latency histograms (INFO). */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The INFO report and its sections (a part owning a section's data replaces it here). */
    public ServerInfo info() {
        return info;
    }

    /** CONFIG RESETSTAT: server counters, error stats, per-command stats, rates and latency histograms. */
    public void resetStats() {
        stats.reset();
        for (io.cinnabar.kernel.command.Command c : commands.all()) {
            c.stats().reset();
            for (io.cinnabar.kernel.command.Command sub : c.subcommands().values()) {
                sub.stats().reset();
            }
        }
        metrics.reset();
        if (cluster != null) {
            cluster.slotStats().resetAll(); // Redis's resetClusterStats
        }
    }

    /** What changes the dataset goes to replicas and the AOF through. */
    public io.cinnabar.kernel.propagation.Propagator propagator() {
        return propagator;
    }

    /** Redis's propagateDeletion: a key removed by the server itself (expiry, eviction) goes out as DEL or UNLINK. */
    public void propagateDeletion(int dbIndex, byte[] key, boolean lazy) {
        if (propagator.active()) {
            propagator.also(dbIndex, new byte[][] {lazy ? UNLINK : DEL, key});
        }
    }

    private static final byte[] DEL = "DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public ServerStats stats() {
        return stats;
    }

    public Clients clients() {
        return clients;
    }

    public BlockingRegistry blocking() {
        return blocking;
    }

    public WatchRegistry watches() {
        return watches;
    }

    public PluginHost plugins() {
        return plugins;
    }

    public Transport transport() {
        return transport;
    }

    public Logger log() {
        return LOG;
    }

    public long startMillis() {
        return startMillis;
    }

    public String runId() {
        return runId;
    }

    public long newClientId() {
        return nextClientId.getAndIncrement();
    }

    public boolean authRequired() {
        String pass = config.get("requirepass");
        return pass != null && !pass.isEmpty();
    }

    /** Counts every error reply of a client (errorstats). */
    public RespWriter.ErrorListener errorListener(ClientConnection c) {
        return stats::countError;
    }

    public void onClientClosed(ClientConnection c) {
        blocking.forget(c);
        for (var l : closeListeners) {
            l.accept(c);
        }
    }

    /** client-output-buffer-limit, parsed (kept current on CONFIG SET). */
    public io.cinnabar.kernel.net.OutputBufferLimits outputBufferLimits() {
        return outputBufferLimits;
    }

    @Override
    public io.cinnabar.api.ClientHandle client(long id) {
        return clients.get(id);
    }

    @Override
    public void onClientClosed(java.util.function.Consumer<io.cinnabar.api.ClientHandle> listener) {
        closeListeners.add(listener::accept);
    }

    @Override
    public void onClientReset(java.util.function.Consumer<io.cinnabar.api.ClientHandle> listener) {
        clients.onReset(listener::accept);
    }

    /** The port actually bound (useful when configured as 0 in tests). */
    public int port() {
        return transport.port();
    }

    /** Replication's once-a-second work (Redis's replicationCron). */
    private final class ReplicationCron implements Runnable {
        private long tick;

        @Override
        public void run() {
            refreshClock();
            replication.cron(tick++);
        }
    }
}
