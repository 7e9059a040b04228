package io.cinnabar.kernel.server;

import java.util.Map;
import java.util.TreeMap;

/** Server-wide counters for INFO stats/errorstats; touched only on the execution thread. */
public final class ServerStats {
    public long commandsProcessed;
    public long connectionsReceived;
    public long rejectedConnections;
    public long expiredKeys;
    public long expiredStalePerc;
    public long evictedKeys;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long netInputBytes;
    public long netOutputBytes;
    public long netReplOutputBytes;
    public long netReplInputBytes;
    public long totalErrorReplies;
    public long dirty;
    public long syncFull;
    public long syncPartialOk;
    public long syncPartialErr;
    public long unexpectedErrorReplies;
    /** Socket reads that brought input, and reply flushes (total_reads_processed / total_writes_processed). */
    public long readsProcessed;
    public long writesProcessed;
    /** Error-code prefix (ERR, WRONGTYPE, ...) to count, for INFO errorstats. */
    public final Map<String, Long> errorCounts = new TreeMap<>();

    public void countError(String line) {
        totalErrorReplies++;
        int sp = line.indexOf(' ');
        String code = sp < 0 ? line : line.substring(0, sp);
        if (errorCounts.size() < 128 || errorCounts.containsKey(code)) {
            errorCounts.merge(code, 1L, Long::sum);
        }
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        commandsProcessed = 0;
        connectionsReceived = 0;
        rejectedConnections = 0;
        expiredKeys = 0;
        expiredStalePerc = 0;
        evictedKeys = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        netReplOutputBytes = 0;
        netReplInputBytes = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        readsProcessed = 0;
        writesProcessed = 0;
        syncFull = 0;
        syncPartialOk = 0;
        syncPartialErr = 0;
        errorCounts.clear();
    }
}
