package io.cinnabar.kernel.info;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the operating system knows about this process: resident set size, CPU times, uname-like identity.
 * Linux's /proc is read where present; elsewhere the JVM's management beans answer as well as they can.
 */
public final class ProcessStats {
    /** /proc reports CPU times in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /** CPU seconds of the process and of its waited-for children, and of the calling (execution) thread. */
    public record CpuTimes(double sys, double user, double sysChildren, double userChildren,
                           double sysMainThread, double userMainThread) {
    }

    /** Resident set size in bytes (VmRSS), or the JVM's committed memory where /proc is missing. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the JVM's view
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() + ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
    }

    /** Total physical memory of the machine, or 0 when unknown. */
    public static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** Must run on the execution thread: its own CPU time is reported as the main thread's. */
    public static CpuTimes cpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double userMain = 0;
        double sysMain = 0;
        if (threads.isCurrentThreadCpuTimeSupported()) {
            long cpu = threads.getCurrentThreadCpuTime();
            long user = threads.getCurrentThreadUserTime();
            userMain = user / 1e9;
            sysMain = Math.max(0, cpu - user) / 1e9;
        }
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // fields after the parenthesised command name; utime is field 14 overall, so index 11 here
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return new CpuTimes(ticks(f[12]), ticks(f[11]), ticks(f[14]), ticks(f[13]), sysMain, userMain);
        } catch (IOException | RuntimeException e) {
            double total = 0;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                total = os.getProcessCpuTime() / 1e9;
            }
            return new CpuTimes(0, total, 0, 0, sysMain, userMain);
        }
    }

    private static double ticks(String s) {
        return Long.parseLong(s) / (double) TICKS_PER_SECOND;
    }

    /** {@code uname -s -r -m}, e.g. {@code Linux 6.1.0 x86_64}. */
    public static String os() {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("amd64")) {
            arch = "x86_64";
        }
        return System.getProperty("os.name", "") + " " + System.getProperty("os.version", "") + " " + arch;
    }

    public static int archBits() {
        String model = System.getProperty("sun.arch.data.model", "64");
        return model.equals("32") ? 32 : 64;
    }

    /** The binary running us (the java launcher), as Redis reports its own executable. */
    public static String executable() {
        return ProcessHandle.current().info().command().orElse("");
    }

    /** Redis's {@code %ld.%06ld} seconds. */
    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }
}
