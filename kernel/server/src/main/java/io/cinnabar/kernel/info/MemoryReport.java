package io.cinnabar.kernel.info;

import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.server.CinnabarServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot of memory use in Redis's terms (INFO memory, MEMORY STATS, MEMORY DOCTOR), measured on the JVM:
 * "allocated" is the heap in use, the "allocator" is the heap (active = committed heap, resident = committed
 * heap plus non-heap), RSS is the process's resident set. The dataset is what is left of the heap in use once
 * the startup footprint and the clients' buffers are taken away.
 */
public record MemoryReport(long used, long peak, long startup, long rss, long clientsNormal, long allocatorActive,
                           long allocatorResident, long totalSystem, long maxmemory, String policy, int clients,
                           List<DbOverhead> dbs) {

    /** Hash-table overhead of one non-empty database (MEMORY STATS {@code db.N}), estimated from its sizes. */
    public record DbOverhead(int id, long keys, long main, long expires) {
    }

    /** Bytes per table entry (key and value references plus chaining) and per bucket, as Redis counts dictEntry. */
    private static final int ENTRY_BYTES = 24;
    private static final int BUCKET_BYTES = 8;

    private static long tableBytes(long entries) {
        if (entries == 0) {
            return 0;
        }
        long buckets = Long.highestOneBit(Math.max(4, entries - 1)) << 1;
        return entries * ENTRY_BYTES + buckets * BUCKET_BYTES;
    }

    public static MemoryReport measure(CinnabarServer server) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        ServerMetrics m = server.metrics();
        long peak = m.notePeak(used);
        long clientsMem = 0;
        int clients = 0;
        for (ClientConnection c : server.clients().all()) {
            clientsMem += c.queryBufferCapacity() + (c.reply() == null ? 0 : c.reply().pendingBytes());
            clients++;
        }
        long nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
        List<DbOverhead> dbs = new ArrayList<>();
        for (Database db : server.databases()) {
            if (db.size() > 0) {
                dbs.add(new DbOverhead(db.id(), db.size(), tableBytes(db.size()), tableBytes(db.expiresSize())));
            }
        }
        return new MemoryReport(used, peak, m.startupMemory(), ProcessStats.residentBytes(), clientsMem,
                rt.totalMemory(), rt.totalMemory() + nonHeap, ProcessStats.totalSystemMemory(),
                server.config().getLong("maxmemory"), server.config().get("maxmemory-policy"), clients, dbs);
    }

    public long totalKeys() {
        long n = 0;
        for (DbOverhead d : dbs) {
            n += d.keys();
        }
        return n;
    }

    /** Startup footprint, client buffers and the databases' tables (Redis's overhead_total). */
    public long overhead() {
        long tables = 0;
        for (DbOverhead d : dbs) {
            tables += d.main() + d.expires();
        }
        return Math.min(used, startup + clientsNormal + tables);
    }

    /** What the server allocated beyond its startup footprint, per key (MEMORY STATS keys.bytes-per-key). */
    public long bytesPerKey() {
        long keys = totalKeys();
        return keys == 0 ? 0 : Math.max(0, used - startup) / keys;
    }

    public long dataset() {
        return used - overhead();
    }

    /** Dataset as a share of what the server allocated since startup, in percent. */
    public double datasetPercent() {
        long net = used - startup;
        return net <= 0 ? 0 : dataset() * 100.0 / net;
    }

    public double peakPercent() {
        return peak == 0 ? 0 : used * 100.0 / peak;
    }

    public double allocatorFragRatio() {
        return ratio(allocatorActive, used);
    }

    public long allocatorFragBytes() {
        return allocatorActive - used;
    }

    public double allocatorRssRatio() {
        return ratio(allocatorResident, allocatorActive);
    }

    public long allocatorRssBytes() {
        return allocatorResident - allocatorActive;
    }

    public double rssOverheadRatio() {
        return ratio(rss, allocatorResident);
    }

    public long rssOverheadBytes() {
        return rss - allocatorResident;
    }

    public double fragmentationRatio() {
        return ratio(rss, used);
    }

    public long fragmentationBytes() {
        return rss - used;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** Redis's {@code bytesToHuman}: {@code 884.99K}, {@code 5.20M}, {@code 0B}. */
    public static String human(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        if (n < 1024) {
            return n + "B";
        }
        double d = n;
        for (String u : units) {
            d /= 1024;
            if (d < 1024) {
                return String.format(java.util.Locale.ROOT, "%.2f%s", d, u);
            }
        }
        return n + "B";
    }
}
