package io.cinnabar.kernel.persistence;

import io.cinnabar.api.InfoSection;
import io.cinnabar.kernel.server.CinnabarServer;

/**
 * INFO persistence with every field of Redis 7.2, in its order. The AOF fields keep their "off" values until
 * the AOF exists; the fork and copy-on-write fields are 0 because no fork happens (the save progress fields
 * follow the forkless snapshot).
 */
final class PersistenceInfo implements InfoSection {
    private final Persistence p;
    private final CinnabarServer server;

    PersistenceInfo(Persistence p, CinnabarServer server) {
        this.p = p;
        this.server = server;
    }

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public void write(InfoWriter w) {
        long now = System.currentTimeMillis();
        Snapshot s = p.snapshot();
        KeyspaceLoader l = p.loader();
        long[] aofLoad = l.loading() ? null : p.aofLoadProgress(); // {start seconds, total bytes, loaded bytes}
        w.field("loading", l.loading() || aofLoad != null ? 1 : 0)
                .field("async_loading", l.asyncLoading() ? 1 : 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .field("current_fork_perc", s == null || s.keysTotal() == 0 ? "0.00"
                        : String.format("%.2f", 100.0 * s.keysProcessed() / s.keysTotal()))
                .field("current_save_keys_processed", s == null ? 0 : s.keysProcessed())
                .field("current_save_keys_total", s == null ? 0 : s.keysTotal())
                .field("rdb_changes_since_last_save", server.stats().dirty)
                .field("rdb_bgsave_in_progress", s == null ? 0 : 1)
                .field("rdb_last_save_time", p.lastSave())
                .field("rdb_last_bgsave_status", p.lastBgsaveOk() ? "ok" : "err")
                .field("rdb_last_bgsave_time_sec", p.lastBgsaveTimeSec())
                .field("rdb_current_bgsave_time_sec", s == null ? -1 : (now - p.bgsaveStartMillis()) / 1000)
                .field("rdb_saves", p.rdbSaves())
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", l.lastLoadKeysExpired())
                .field("rdb_last_load_keys_loaded", l.lastLoadKeysLoaded());
        if (p.aofInfo() != null) {
            p.aofInfo().accept(w);
        } else {
            w.field("aof_enabled", server.config().getBoolean("appendonly") ? 1 : 0)
                    .field("aof_rewrite_in_progress", 0)
                    .field("aof_rewrite_scheduled", 0)
                    .field("aof_last_rewrite_time_sec", -1)
                    .field("aof_current_rewrite_time_sec", -1)
                    .field("aof_last_bgrewrite_status", "ok")
                    .field("aof_rewrites", 0)
                    .field("aof_rewrites_consecutive_failures", 0)
                    .field("aof_last_write_status", "ok")
                    .field("aof_last_cow_size", 0);
        }
        w.field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
        if (p.aofInfoTail() != null) {
            p.aofInfoTail().accept(w);
        }
        if (l.loading() || l.asyncLoading() || aofLoad != null) {
            // as Redis: appended while loading, the ETA from the average speed so far
            long loaded = aofLoad != null ? aofLoad[2] : l.loadedBytes();
            long total = aofLoad != null ? aofLoad[1] : l.totalBytes();
            long start = aofLoad != null ? aofLoad[0] : l.startSeconds();
            long elapsed = Math.max(0, now / 1000 - start);
            double perc = total == 0 ? 0 : 100.0 * loaded / total;
            long eta = loaded == 0 ? 1 : (long) ((total - loaded) / (loaded / (elapsed + 1.0)));
            w.field("loading_start_time", start)
                    .field("loading_total_bytes", total)
                    .field("loading_rdb_used_mem", l.rdbUsedMem())
                    .field("loading_loaded_bytes", loaded)
                    .field("loading_loaded_perc", String.format("%.2f", perc))
                    .field("loading_eta_seconds", eta);
        }
    }
}
