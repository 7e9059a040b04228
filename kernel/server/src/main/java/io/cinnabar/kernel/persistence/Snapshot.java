package io.cinnabar.kernel.persistence;

import io.cinnabar.api.rdb.RdbOutput;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.server.ByteKey;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A forkless background save (BGSAVE without fork): the keyspace as it was when the snapshot started, written
 * while the execution thread keeps serving.
 *
 * <p>The execution thread walks each database's tables in short slices (entry-index order, which neither
 * inserts nor rehashing disturb) and encodes entries into chunks; a writer thread appends the chunks to
 * {@code temp-<pid>.rdb}, computes the CRC-64, fsyncs and renames. Before a key changes, the keyspace tells
 * {@link #beforeChange}: a key the walk has not reached yet is encoded right then, as it still is, into its
 * database's pending bytes, and marked done so the walk skips it later (a key absent at that moment is marked
 * done too, so a key created after the start is never written). FLUSHDB/FLUSHALL/SWAPDB hand the database new
 * tables, so the walk simply continues over the old ones. Memory: only the keys touched during the snapshot
 * are held (their encoded bytes), never a copy of the dataset.
 */
final class Snapshot implements Database.ChangeListener {
    private static final byte[] END = new byte[0];
    private static final int CHUNK_BYTES = 256 * 1024;
    /** At the end of a slice a chunk this full goes to the writer; a smaller one waits for the next slice. */
    private static final int SHIP_AT_SLICE_END = 32 * 1024;
    /** REDIS_AUTOSYNC_BYTES: with rdb-save-incremental-fsync, the file is fsynced every 4 MB. */
    private static final long AUTOSYNC_BYTES = 4L << 20;

    /** One database's part of the file: the tables it walks and what was preserved ahead of the walk. */
    private static final class Section {
        final int db;
        final Database.Tables tables;
        final long[] sizes;
        final Set<ByteKey> done = new HashSet<>();
        ChunkBuffer pending = new ChunkBuffer();
        RdbOutput pendingOut;
        boolean started;
        boolean finished;
        long position;

        Section(int db, Database.Tables tables, boolean compression) {
            this.db = db;
            this.tables = tables;
            this.sizes = tables.sizes();
            this.pendingOut = new RdbOutput(pending, compression);
        }
    }

    private final Database[] dbs;
    private final Section[] sections;
    private final RdbWriter writer;
    private final boolean compression;
    private final boolean checksum;
    private final Path temp;
    private final Path target;
    private final Scheduler scheduler;
    private Consumer<Throwable> onDone;
    private boolean incrementalFsync;
    /** Commands executed so far (the server's counter): after a quiet spell the slices run longer. */
    private java.util.function.LongSupplier activity = () -> 0;
    private long lastActivity = -1;
    private long lastActiveNanos = System.nanoTime();
    /**
     * The server counts as idle once no command ran for this long; a client waiting on its previous reply for
     * a few hundred microseconds is not idle, and a long slice would hold its next command.
     */
    private static final long IDLE_AFTER_NANOS = 2_000_000;
    /** The slice length while idle: the save runs at nearly full speed, and a command arriving waits at most this. */
    private static final long IDLE_SLICE_NANOS = 250_000;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(32);
    /** Chunks encoded but not yet taken by the queue (the execution thread never blocks on the disk). */
    private final java.util.ArrayDeque<byte[]> outbox = new java.util.ArrayDeque<>();
    private final long sliceNanos;
    private final long gapMicros;
    private final long keyDelayMicros;
    private ChunkBuffer chunk = new ChunkBuffer(CHUNK_BYTES + 4096);
    private RdbOutput out;
    private int current;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    private long keysProcessed;
    private final long keysTotal;
    private Thread writerThread;

    /** Where the chunks go instead of a file (a diskless replication snapshot), on the writer thread. */
    interface Sink {
        void write(byte[] b, int off, int len) throws IOException;

        /** Everything, the checksum included, was written. */
        void end() throws IOException;
    }

    private Sink sink;

    /** The RDB goes to {@code s} rather than to the temp file (call before {@link #start}). */
    void setSink(Sink s) {
        this.sink = s;
    }

    /** Runs slices on the execution thread. */
    interface Scheduler {
        void later(Runnable task, long delayMicros);

        void onExecutionThread(Runnable task);
    }

    Snapshot(Database[] dbs, RdbWriter writer, boolean compression, boolean checksum, Path temp, Path target,
             Scheduler scheduler, long sliceMicros, long gapMicros, long keyDelayMicros, Consumer<Throwable> onDone) {
        this.dbs = dbs;
        this.writer = writer;
        this.compression = compression;
        this.checksum = checksum;
        this.temp = temp;
        this.target = target;
        this.scheduler = scheduler;
        this.sliceNanos = sliceMicros * 1000;
        this.gapMicros = Math.max(1, gapMicros);
        this.keyDelayMicros = keyDelayMicros;
        this.onDone = onDone;
        this.sections = new Section[dbs.length];
        long total = 0;
        for (int i = 0; i < dbs.length; i++) {
            sections[i] = new Section(i, dbs[i].tables(), compression);
            total += sections[i].sizes[0];
        }
        this.keysTotal = total;
        this.out = new RdbOutput(chunk, compression);
    }

    void setActivity(java.util.function.LongSupplier commandsProcessed) {
        this.activity = commandsProcessed;
    }

    void setIncrementalFsync(boolean on) {
        this.incrementalFsync = on;
    }

    /** What runs on the execution thread when the file is complete (null) or failed (the error). */
    void setOnDone(Consumer<Throwable> onDone) {
        this.onDone = onDone;
    }

    /** Writes the header, starts the writer thread and the walk. Call on the execution thread. */
    void start(Map<String, String> aux, List<byte[]> functions) throws IOException {
        writer.header(out, aux);
        writer.functions(out, functions);
        for (Database db : dbs) {
            db.setChangeListener(this);
        }
        writerThread = new Thread(sink != null ? this::writeSink : this::writeFile, "cinnabar-bgsave");
        writerThread.setDaemon(true);
        writerThread.start();
        scheduler.later(this::slice, 0);
    }

    long keysProcessed() {
        return keysProcessed;
    }

    long keysTotal() {
        return keysTotal;
    }

    /** Stops the save (FLUSHALL, SHUTDOWN, DEBUG RELOAD): the temp file is removed, nothing is renamed. */
    void cancel() {
        cancelled = true;
        detach();
        outbox.clear();
        queue.clear();
        queue.offer(END);
    }

    /** Stops listening to the keyspace (on the execution thread). */
    void detach() {
        for (Database db : dbs) {
            db.setChangeListener(null);
        }
    }

    private Section sectionOf(Database db) {
        Section s = sections[db.id()];
        if (s.tables.heldBy(db)) {
            return s;
        }
        for (Section o : sections) {
            if (o.tables.heldBy(db)) {
                return o; // SWAPDB moved this content to another index
            }
        }
        return null; // flushed since the start: the old tables are no longer written to
    }

    @Override
    public void beforeChange(Database db, byte[] key) {
        Section s = sectionOf(db);
        if (s == null || s.finished || failure != null) {
            return;
        }
        ByteKey k = new ByteKey(key);
        if (s.done.contains(k)) {
            return;
        }
        long pos = s.tables.positionOf(key);
        if (pos >= 0 && s.started && pos < s.position) {
            return; // the walk already wrote it
        }
        s.done.add(k);
        if (pos < 0) {
            return; // absent at the start as far as this snapshot goes: created later, never written
        }
        try {
            s.tables.walkOne(pos, (kk, v, exp, stamp) -> writer.entry(s.pendingOut, kk, v, exp, stamp));
            keysProcessed++;
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** One slice of the walk on the execution thread, then the next one is scheduled. */
    private void slice() {
        if (cancelled || failure != null) {
            return;
        }
        drainOutbox();
        if (!outbox.isEmpty()) {
            scheduler.later(this::slice, 1000); // the disk is behind: let it catch up
            return;
        }
        long now = activity.getAsLong();
        long t = System.nanoTime();
        if (now != lastActivity) {
            lastActivity = now;
            lastActiveNanos = t;
        }
        boolean busy = t - lastActiveNanos < IDLE_AFTER_NANOS;
        long deadline = t + (busy ? sliceNanos : IDLE_SLICE_NANOS);
        try {
            while (current < sections.length) {
                Section s = sections[current];
                if (!s.started) {
                    s.started = true;
                    if (s.sizes[0] == 0) {
                        s.finished = true; // Redis skips empty databases
                        current++;
                        continue;
                    }
                    writer.selectDb(out, s.db, s.sizes[0], s.sizes[1]);
                }
                flushPending(s);
                int batch = 1;
                long next = s.tables.walk(s.position, batch, (k, v, exp, stamp) -> {
                    if (s.done.isEmpty() || !s.done.contains(new ByteKey(k))) {
                        writer.entry(out, k, v, exp, stamp);
                        keysProcessed++;
                    }
                });
                if (next < 0) {
                    flushPending(s);
                    s.finished = true;
                    s.done.clear();
                    current++;
                } else {
                    s.position = next;
                }
                if (chunk.size() >= CHUNK_BYTES) {
                    ship();
                }
                if (keyDelayMicros > 0 || System.nanoTime() >= deadline) {
                    if (keyDelayMicros > 0 || chunk.size() >= SHIP_AT_SLICE_END) {
                        ship(); // a small chunk waits for more: each ship allocates the next chunk's buffer
                    }
                    scheduler.later(this::slice, keyDelayMicros > 0 ? keyDelayMicros : busy ? gapMicros : 1);
                    return;
                }
            }
            detach();
            RdbWriter.eof(out);
            ship();
            outbox.add(END);
            drainOutbox();
            if (!outbox.isEmpty()) {
                scheduler.later(this::finishShipping, 1000);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** After the walk: hands the last chunks (and the end marker) to the writer as room appears. */
    private void finishShipping() {
        if (cancelled || failure != null) {
            return;
        }
        drainOutbox();
        if (!outbox.isEmpty()) {
            scheduler.later(this::finishShipping, 1000);
        }
    }

    private void drainOutbox() {
        while (!outbox.isEmpty() && queue.offer(outbox.peekFirst())) {
            outbox.pollFirst();
        }
    }

    private void flushPending(Section s) throws IOException {
        if (s.pending.size() > 0) {
            s.pendingOut.flush();
            s.pending.writeTo(out);
            s.pending = new ChunkBuffer();
            s.pendingOut = new RdbOutput(s.pending, compression);
        }
    }

    private void ship() throws IOException {
        out.flush();
        if (chunk.size() > 0) {
            outbox.add(chunk.toByteArray());
            drainOutbox();
            chunk = new ChunkBuffer(CHUNK_BYTES + 4096);
            out = new RdbOutput(chunk, compression);
        }
    }

    /** An encoding failure on the execution thread: the writer is told to give up. */
    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        }
        detach();
        outbox.clear();
        queue.clear();
        queue.offer(END);
    }

    /** The writer thread: chunks to the temp file, then the checksum, fsync and the atomic rename. */
    private void writeFile() {
        Throwable result = null;
        try (FileOutputStream fos = new FileOutputStream(temp.toFile())) {
            Crc64OutputStream crc = new Crc64OutputStream(new java.io.BufferedOutputStream(fos, 1 << 16));
            long unsynced = 0;
            while (true) {
                byte[] b = queue.take();
                if (b == END) {
                    break;
                }
                crc.write(b, 0, b.length);
                unsynced += b.length;
                if (incrementalFsync && unsynced >= AUTOSYNC_BYTES) {
                    // rdb-save-incremental-fsync: no huge burst of dirty pages at the end
                    crc.flush();
                    fos.getFD().sync();
                    unsynced = 0;
                }
            }
            if (cancelled) {
                throw new IOException("background save cancelled");
            }
            if (failure != null) {
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            long sum = checksum ? crc.crc() : 0;
            crc.flush();
            byte[] trailer = new byte[8];
            for (int i = 0; i < 8; i++) {
                trailer[i] = (byte) (sum >>> (8 * i));
            }
            fos.write(trailer);
            fos.getFD().sync();
        } catch (IOException | InterruptedException | RuntimeException e) {
            result = e;
        }
        if (result == null) {
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Persistence.fsyncDirectory(target.getParent());
            } catch (IOException e) {
                result = e;
            }
        }
        if (result != null) {
            if (failure == null) {
                failure = result; // the walk stops at its next slice
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the failure itself is what gets reported
            }
        }
        Throwable r = result;
        scheduler.onExecutionThread(() -> onDone.accept(r));
    }

    /** The writer thread of a snapshot with a {@link Sink}: chunks, then the checksum, to the sink. */
    private void writeSink() {
        Throwable result = null;
        try {
            Crc64OutputStream crc = new Crc64OutputStream(java.io.OutputStream.nullOutputStream());
            while (true) {
                byte[] b = queue.take();
                if (b == END) {
                    break;
                }
                crc.write(b, 0, b.length);
                sink.write(b, 0, b.length);
            }
            if (cancelled) {
                throw new IOException("background save cancelled");
            }
            if (failure != null) {
                throw failure instanceof IOException io ? io : new IOException(failure);
            }
            long sum = checksum ? crc.crc() : 0;
            byte[] trailer = new byte[8];
            for (int i = 0; i < 8; i++) {
                trailer[i] = (byte) (sum >>> (8 * i));
            }
            sink.write(trailer, 0, trailer.length);
            sink.end();
        } catch (IOException | InterruptedException | RuntimeException e) {
            result = e;
        }
        if (result != null && failure == null) {
            failure = result; // the walk stops at its next slice
        }
        Throwable r = result;
        scheduler.onExecutionThread(() -> onDone.accept(r));
    }

    boolean cancelledOrFailed() {
        return cancelled || failure != null;
    }
}
