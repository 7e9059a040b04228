package io.cinnabar.kernel.info;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;

/** The texts of MEMORY DOCTOR (Redis's report and thresholds) and MEMORY MALLOC-STATS (the JVM's memory pools). */
public final class MemoryDiagnostics {
    private static final long MB = 1024 * 1024;

    private MemoryDiagnostics() {
    }

    /** Redis's {@code getMemoryDoctorReport}, applied to the JVM's figures. */
    public static String doctor(MemoryReport m, String allocator) {
        if (m.used() < 5 * MB) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                    + "Sam and I will be back to our programming as soon as I finished rebooting.\n";
        }
        StringBuilder issues = new StringBuilder();
        if ((float) m.peak() / m.used() > 1.5) {
            issues.append(" * Peak memory: In the past this instance used more than 150% the memory that is currently "
                    + "using. The allocator is normally not able to release memory after a peak, so you can expect to "
                    + "see a big fragmentation ratio, however this is actually harmless and is only due to the memory "
                    + "peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the "
                    + "memory will be used as soon as you fill the Redis instance with more data. If the memory peak "
                    + "was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, "
                    + "otherwise the only other option is to shutdown and restart the instance.\n\n");
        }
        if (m.fragmentationRatio() > 1.4 && m.fragmentationBytes() > 10 * MB) {
            issues.append(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than "
                    + "1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of "
                    + "the logical allocations Redis performed). This problem is usually due either to a large peak "
                    + "memory (check if there is a peak memory entry above in the report) or may result from a "
                    + "workload that causes the allocator to fragment memory a lot. If the problem is a large peak "
                    + "memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and "
                    + "not the default libc malloc. Note: The currently used allocator is \"").append(allocator)
                    .append("\".\n\n");
        }
        if (m.allocatorFragRatio() > 1.1 && m.allocatorFragBytes() > 10 * MB) {
            issues.append(" * High allocator fragmentation: This instance has an allocator external fragmentation "
                    + "greater than 1.1. This problem is usually due either to a large peak memory (check if there is "
                    + "a peak memory entry above in the report) or may result from a workload that causes the "
                    + "allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n");
        }
        if (m.allocatorRssRatio() > 1.1 && m.allocatorRssBytes() > 10 * MB) {
            issues.append(" * High allocator RSS overhead: This instance has an RSS memory overhead is greater than "
                    + "1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what "
                    + "the allocator actually holds). This problem is usually due to a large peak memory (check if "
                    + "there is a peak memory entry above in the report), you can try the MEMORY PURGE command to "
                    + "reclaim it.\n\n");
        }
        if (m.rssOverheadRatio() > 1.1 && m.rssOverheadBytes() > 10 * MB) {
            issues.append(" * High process RSS overhead: This instance has non-allocator RSS memory overhead is "
                    + "greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger "
                    + "than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n");
        }
        if (m.clients() > 0 && m.clientsNormal() / m.clients() > 200 * 1024) {
            issues.append(" * Big client buffers: The clients output buffers in this instance are greater than 200K "
                    + "per client (on average). This may result from different causes, like Pub/Sub clients "
                    + "subscribed to channels bot not receiving data fast enough, so that data piles on the Redis "
                    + "instance output buffer, or clients sending commands with large replies or very large sequences "
                    + "of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the "
                    + "issue if it causes problems in your instance, or to understand better why certain clients are "
                    + "using a big amount of memory.\n\n");
        }
        if (issues.isEmpty()) {
            return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this "
                    + "base.\n";
        }
        return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + issues
                + "I'm here to keep you safe, Sam. I want to help you.\n";
    }

    /** MEMORY MALLOC-STATS: the JVM's heap, non-heap, pools and collectors. */
    public static String jvmStats() {
        StringBuilder sb = new StringBuilder("___ Begin JVM memory statistics ___\n");
        sb.append("VM: ").append(System.getProperty("java.vm.name", "")).append(' ')
                .append(System.getProperty("java.vm.version", "")).append('\n');
        usage(sb, "Heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage());
        usage(sb, "Non-heap", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            usage(sb, "Pool " + pool.getName() + " (" + pool.getType() + ")", pool.getUsage());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append("GC ").append(gc.getName()).append(": collections=").append(gc.getCollectionCount())
                    .append(", time_ms=").append(gc.getCollectionTime()).append('\n');
        }
        return sb.append("___ End JVM memory statistics ___\n").toString();
    }

    private static void usage(StringBuilder sb, String name, MemoryUsage u) {
        if (u == null) {
            return;
        }
        sb.append(name).append(": used=").append(u.getUsed()).append(", committed=").append(u.getCommitted())
                .append(", max=").append(u.getMax()).append('\n');
    }
}
