package io.cinnabar.kernel.persistence;

import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The AOF's startup load (aof.c's aofLoadManifestFromDisk + loadAppendOnlyFiles, with aofUpgradePrepare for a
 * Redis 6 single file): the manifest read, then its base and INCR files replayed in slices on the execution
 * thread, so between slices the event loop answers other clients {@code -LOADING} and INFO shows the
 * progress. Any failure is fatal: the server must not serve partial data.
 */
final class AofStartupLoad {
    /** The execution-thread time one slice of the replay may take. */
    private static final long LOAD_SLICE_NANOS = 5_000_000;

    /** What the load leaves: the manifest (upgraded if it was), and the sizes INFO reports. */
    record Loaded(AofManifest manifest, long baseSize, long currentSize) {
    }

    private final CinnabarServer server;
    private final Config config;
    private final Persistence persistence;
    private volatile boolean running;
    private AofManifest manifest = new AofManifest();
    private long baseSize;
    private long currentSize;
    private Consumer<Loaded> then;
    private AofLoader loader;
    private long loadStartSeconds;
    private long loadTotalBytes;
    private long loadedBeforeFile;
    private AofLoader.FileLoad currentLoad;

    /** {@code willLoad}: appendonly is yes, so clients get -LOADING from now until the load ends. */
    AofStartupLoad(CinnabarServer server, Persistence persistence, boolean willLoad) {
        this.server = server;
        this.config = server.config();
        this.persistence = persistence;
        this.running = willLoad;
    }

    boolean running() {
        return running;
    }

    /** True while the load runs, for every client but the one replaying the files. */
    boolean rejects(ClientConnection c) {
        return running && (loader == null || c != loader.fakeClient());
    }

    private Path aofDir() {
        return Path.of(config.get("dir")).resolve(config.get("appenddirname"));
    }

    private String prefix() {
        return config.get("appendfilename");
    }

    private IllegalStateException fatal(String message) {
        server.log().warn("{}", message);
        return new IllegalStateException(message);
    }

    /**
     * loadAppendOnlyFiles, on the execution thread in slices: between them the event loop serves other clients
     * (-LOADING unless the command is allowed while loading). {@code done} completes when the AOF is open.
     */
    /** Starts the load on the execution thread; {@code then} gets the result there, or {@code done} fails. */
    void begin(Consumer<Loaded> then, CompletableFuture<Void> done) {
        this.then = then;
        try {
            Path dir = aofDir();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw fatal("Can't open or create append-only dir " + config.get("appenddirname") + ": "
                        + e.getMessage());
            }
            manifest = loadManifestFromDisk(dir);
            Path oldStyle = Path.of(config.get("dir")).resolve(prefix());
            if (Files.exists(oldStyle)) {
                AofManifest am = manifest;
                if (am.isEmpty() || (am.base != null && am.incr.isEmpty() && am.base.name().equals(prefix())
                        && !Files.exists(dir.resolve(prefix())))) {
                    upgrade(dir, oldStyle);
                }
            }
            List<AofManifest.Entry> files = new ArrayList<>();
            if (manifest.base != null) {
                files.add(manifest.base);
            }
            files.addAll(manifest.incr);
            if (files.isEmpty()) {
                finishLoad(dir, AofLoader.Result.NOT_EXIST, files, 0, done);
                return;
            }
            if (server.storageRestored()) {
                // the storage engine kept the keyspace and checked that this AOF holds nothing more: no replay
                server.log().info("DB restored by the {} storage engine, which matches the append only file: "
                        + "not replayed", server.storage().name());
                finishLoad(dir, AofLoader.Result.EMPTY, files, 0, done);
                return;
            }
            long total = 0;
            for (AofManifest.Entry e : files) {
                try {
                    total += Files.size(dir.resolve(e.name()));
                } catch (IOException ex) {
                    server.log().warn("The append log file {} doesn't exist: {}", e.name(), ex.getMessage());
                    throw fatal("Fatal error loading the AOF, check server logs. Exiting.");
                }
            }
            if (total == 0) {
                finishLoad(dir, AofLoader.Result.EMPTY, files, 0, done);
                return;
            }
            loader = new AofLoader(server, persistence, config.getBoolean("aof-load-truncated"));
            loadStartSeconds = System.currentTimeMillis() / 1000;
            loadTotalBytes = total;
            loadedBeforeFile = 0;
            running = true;
            loadFile(dir, files, 0, System.nanoTime(), done);
        } catch (RuntimeException e) {
            running = false;
            done.completeExceptionally(e);
        }
    }

    private void loadFile(Path dir, List<AofManifest.Entry> files, int i, long start, CompletableFuture<Void> done) {
        AofManifest.Entry e = files.get(i);
        AofLoader.FileLoad load = loader.open(dir, e.name(), e.name().equals(prefix()));
        currentLoad = load;
        continueFile(dir, files, i, load, System.nanoTime(), start, done);
    }

    private void continueFile(Path dir, List<AofManifest.Entry> files, int i, AofLoader.FileLoad load, long t0,
                              long start, CompletableFuture<Void> done) {
        try {
            AofLoader.Result ret = load.step(System.nanoTime() + LOAD_SLICE_NANOS);
            if (ret == null) {
                server.transport().loop().schedule(() -> continueFile(dir, files, i, load, t0, start, done), 1,
                        TimeUnit.MICROSECONDS); // a scheduled task: the loop polls its sockets first
                return;
            }
            AofManifest.Entry e = files.get(i);
            boolean last = i == files.size() - 1;
            if (ret == AofLoader.Result.OK || (ret == AofLoader.Result.TRUNCATED && last)) {
                server.log().info("DB loaded from {} file {}: {} seconds", e.type() == AofManifest.BASE ? "base" : "incr",
                        e.name(), String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
            }
            if (ret == AofLoader.Result.EMPTY) {
                ret = AofLoader.Result.OK; // one of the files has data, so an empty one is fine
            }
            if (ret == AofLoader.Result.TRUNCATED && !last) {
                server.log().warn("Fatal error: the truncated file is not the last file");
                ret = AofLoader.Result.FAILED;
            }
            if (ret == AofLoader.Result.FAILED || ret == AofLoader.Result.OPEN_ERR
                    || ret == AofLoader.Result.NOT_EXIST) {
                throw fatal("Fatal error loading the AOF, check server logs. Exiting.");
            }
            if (!last) {
                try {
                    loadedBeforeFile += Files.size(dir.resolve(e.name()));
                } catch (IOException ignored) {
                    // progress only
                }
                loadFile(dir, files, i + 1, start, done);
            } else {
                finishLoad(dir, ret, files, start, done);
            }
        } catch (RuntimeException ex) {
            running = false;
            done.completeExceptionally(ex);
        }
    }

    /** After the load (or without anything to load): the sizes, then the AOF opens ({@code then}). */
    private void finishLoad(Path dir, AofLoader.Result r, List<AofManifest.Entry> files, long start,
                            CompletableFuture<Void> done) {
        try {
            if (r != AofLoader.Result.NOT_EXIST) {
                if (r != AofLoader.Result.EMPTY) {
                    server.log().info("DB loaded from append only file: {} seconds",
                            String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
                }
                try {
                    baseSize = manifest.base == null ? 0 : Files.size(dir.resolve(manifest.base.name()));
                    currentSize = 0;
                    for (AofManifest.Entry e : files) {
                        currentSize += Files.size(dir.resolve(e.name()));
                    }
                } catch (IOException ex) {
                    server.log().warn("{}", ex.getMessage());
                }
                // Redis replays by calling each command's proc directly: the replay is in no statistic and no
                // slow log, and its fake client is no connection (the dirty count stays, as Redis's does)
                server.resetStats();
                server.diagnostics().slowLog().reset();
            }
            running = false;
            then.accept(new Loaded(manifest, baseSize, currentSize));
        } catch (RuntimeException ex) {
            running = false;
            done.completeExceptionally(ex);
        }
    }

    /** {start seconds, total bytes, loaded bytes} while the load runs, else null (INFO persistence). */
    long[] progress() {
        if (!running || loader == null) {
            return null;
        }
        AofLoader.FileLoad f = currentLoad;
        return new long[] {loadStartSeconds, loadTotalBytes, loadedBeforeFile + (f == null ? 0 : f.offset())};
    }

    /** aofLoadManifestFromDisk. */
    private AofManifest loadManifestFromDisk(Path dir) {
        Path file = dir.resolve(prefix() + ".manifest");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new AofManifest();
        } catch (IOException e) {
            throw fatal("Read AOF manifest failed: " + e.getMessage());
        }
        try {
            return AofManifest.parse(text);
        } catch (AofManifest.ManifestException e) {
            server.log().warn("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
            throw fatal(e.getMessage());
        }
    }

    /** aofUpgradePrepare: a Redis 6 AOF becomes the base of a manifest and moves into the AOF directory. */
    private void upgrade(Path dir, Path oldStyle) {
        AofManifest am = manifest.copy();
        am.base = new AofManifest.Entry(prefix(), 1, AofManifest.BASE);
        am.currentBaseSeq = 1;
        try {
            am.persist(dir, prefix());
            Files.move(oldStyle, dir.resolve(prefix()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw fatal("Error moving the AOF file " + prefix() + " to the AOF directory: " + e.getMessage());
        }
        manifest = am;
        server.log().info("Successfully migrated an old-style AOF into the AOF directory {}.",
                config.get("appenddirname"));
    }
}
