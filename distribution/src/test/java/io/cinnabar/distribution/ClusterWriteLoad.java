package io.cinnabar.distribution;

import io.cinnabar.distribution.AcknowledgingClient.Outcome;
import io.cinnabar.kernel.cluster.KeySlot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Writers, each with a cluster client of its own, writing the keys {@code key:0 .. key:n-1} (spread over every
 * slot; each key has one writer) until each is done: acknowledged by a replica, or (for a manual failover, where
 * Redis loses no write at all) merely written. Every attempt at a key writes a new value,
 * {@code value:<i>:<attempt>}, so the value a read returns names the attempt that survived. A key to be tried
 * again goes to the back of its writer's queue: the writer keeps writing the keys of the healthy masters while
 * one is down.
 */
final class ClusterWriteLoad implements AutoCloseable {
    /** When a key is done. */
    enum Until {
        ACKNOWLEDGED,
        WRITTEN
    }

    private final Until until;
    private final int keys;
    private final AtomicIntegerArray attempts;
    /** The attempt that finished each key (0: not yet), and when (System.nanoTime). */
    private final AtomicIntegerArray done;
    private final AtomicLongArray doneAt;
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    // the first SET that returned OK on the watched slots since the watch began (System.nanoTime; 0: none yet)
    private volatile BitSet watched;
    private volatile long watchSince;
    private final AtomicLong firstWrittenOnWatched = new AtomicLong();

    /** Starts one writer per client. */
    ClusterWriteLoad(int keys, Until until, List<Supplier<AcknowledgingClient>> clients) {
        this.until = until;
        this.keys = keys;
        attempts = new AtomicIntegerArray(keys);
        done = new AtomicIntegerArray(keys);
        doneAt = new AtomicLongArray(keys);
        for (int w = 0; w < clients.size(); w++) {
            ArrayDeque<Integer> mine = new ArrayDeque<>();
            for (int i = w; i < keys; i += clients.size()) {
                mine.add(i);
            }
            Supplier<AcknowledgingClient> client = clients.get(w);
            Thread t = new Thread(() -> write(client, mine), "writer-" + w);
            threads.add(t);
            t.start();
        }
    }

    static String key(int i) {
        return "key:" + i;
    }

    static String value(int i, int attempt) {
        return "value:" + i + ":" + attempt;
    }

    static int slot(int i) {
        return KeySlot.slot(key(i).getBytes(StandardCharsets.UTF_8));
    }

    private void write(Supplier<AcknowledgingClient> supplier, ArrayDeque<Integer> queue) {
        try (AcknowledgingClient client = supplier.get()) {
            while (!stop && !queue.isEmpty()) {
                int i = queue.poll();
                int attempt = attempts.incrementAndGet(i);
                long started = System.nanoTime();
                Outcome outcome = client.set(key(i), value(i, attempt));
                if (outcome != Outcome.FAILED) {
                    noteWritten(i, started);
                }
                if (outcome == Outcome.ACKNOWLEDGED) {
                    acknowledged.incrementAndGet();
                }
                if (outcome == Outcome.ACKNOWLEDGED || (outcome == Outcome.WRITTEN && until == Until.WRITTEN)) {
                    done.set(i, attempt);
                    doneAt.set(i, System.nanoTime());
                    finished.incrementAndGet();
                    continue;
                }
                queue.add(i);
                if (outcome == Outcome.FAILED) {
                    failed.incrementAndGet();
                    // a client retry's back-off: the node is down or the cluster has not settled yet
                    Thread.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            errors.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    private void noteWritten(int i, long started) {
        BitSet w = watched;
        if (w != null && started >= watchSince && w.get(slot(i))) {
            firstWrittenOnWatched.compareAndSet(0, System.nanoTime());
        }
    }

    /** From now on, remembers the first SET sent after now that returns OK on one of {@code slots}. */
    void watch(BitSet slots) {
        watchSince = System.nanoTime();
        firstWrittenOnWatched.set(0);
        watched = slots;
    }

    /** Milliseconds from {@link #watch} to the first SET that returned OK on the watched slots; -1 if none. */
    long firstWrittenOnWatchedMillis() {
        long first = firstWrittenOnWatched.get();
        return first == 0 ? -1 : (first - watchSince) / 1_000_000;
    }

    int finished() {
        return finished.get();
    }

    int acknowledged() {
        return acknowledged.get();
    }

    int failedAttempts() {
        return failed.get();
    }

    int attempts() {
        int sum = 0;
        for (int i = 0; i < keys; i++) {
            sum += attempts.get(i);
        }
        return sum;
    }

    /** Keys done in [from, to) (System.nanoTime) whose slot {@code slots} holds (null: any). */
    int doneBetween(long from, long to, BitSet slots) {
        int n = 0;
        for (int i = 0; i < keys; i++) {
            long at = doneAt.get(i);
            if (done.get(i) != 0 && at >= from && at < to && (slots == null || slots.get(slot(i)))) {
                n++;
            }
        }
        return n;
    }

    /** What went wrong in the writers themselves (not the cluster's errors, which they retry). */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Each done key whose value, read through {@code reader}, is not the one of its finishing attempt. */
    List<String> wrongReads(AcknowledgingClient reader) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            int attempt = done.get(i);
            if (attempt == 0) {
                continue;
            }
            String read = reader.get(key(i));
            if (!Objects.equals(read, value(i, attempt))) {
                wrong.add(key(i) + " (slot " + slot(i) + ") done by attempt " + attempt + " of "
                        + attempts.get(i) + ", read " + read);
            }
        }
        return wrong;
    }

    /** Stops the writers (each after its current attempt) and waits for them. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
