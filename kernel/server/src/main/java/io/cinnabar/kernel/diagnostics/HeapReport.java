package io.cinnabar.kernel.diagnostics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * DEBUG JMAP: the JVM counterpart of Redis's allocator reports (DEBUG MALLCTL, MEMORY MALLOC-STATS): heap
 * and pool usage, collector counts, and the top of the class histogram (what {@code jmap -histo} prints),
 * taken without forcing a collection.
 */
final class HeapReport {
    private static final int TOP_CLASSES = 20;

    private HeapReport() {
    }

    static String text() {
        StringBuilder sb = new StringBuilder();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        sb.append(String.format(Locale.ROOT, "heap: used=%d committed=%d max=%d%n", heap.getUsed(),
                heap.getCommitted(), heap.getMax()));
        sb.append(String.format(Locale.ROOT, "non-heap: used=%d committed=%d%n", nonHeap.getUsed(),
                nonHeap.getCommitted()));
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = p.getUsage();
            sb.append(String.format(Locale.ROOT, "pool %s: used=%d committed=%d%n", p.getName(), u.getUsed(),
                    u.getCommitted()));
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sb.append(String.format(Locale.ROOT, "gc %s: count=%d time_ms=%d%n", gc.getName(), gc.getCollectionCount(),
                    gc.getCollectionTime()));
        }
        sb.append(classHistogram());
        return sb.toString();
    }

    /** The header and first classes of the HotSpot class histogram, plus its total line. */
    private static String classHistogram() {
        String histo;
        try {
            histo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[] {"-all"}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "class histogram unavailable: " + e + "\n";
        }
        String[] lines = histo.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length && i < TOP_CLASSES + 2; i++) {
            sb.append(lines[i]).append('\n');
        }
        if (lines.length > TOP_CLASSES + 2) {
            sb.append(lines[lines.length - 1]).append('\n');
        }
        return sb.toString();
    }
}
