package io.cinnabar.kernel.info;

import io.cinnabar.api.InfoSection.InfoWriter;
import io.cinnabar.kernel.command.Command;
import io.cinnabar.kernel.command.CommandDescription;
import io.cinnabar.kernel.command.CommandStats;
import io.cinnabar.kernel.config.Config;
import io.cinnabar.kernel.keyspace.Database;
import io.cinnabar.kernel.net.ClientConnection;
import io.cinnabar.kernel.plugin.PluginHost;
import io.cinnabar.kernel.server.CinnabarServer;
import io.cinnabar.kernel.server.LruClock;
import io.cinnabar.kernel.server.ServerStats;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel's INFO sections, field for field in Redis 7.2's order. Features that do not exist yet report
 * Redis's idle values (no fork: 0, no AOF rewrite: -1, statuses "ok") until the part that owns them replaces
 * the section; everything the kernel does measure is measured.
 */
final class KernelInfoSections {
    private final CinnabarServer server;
    private final ServerInfo info;

    KernelInfoSections(CinnabarServer server, ServerInfo info) {
        this.server = server;
        this.info = info;
    }

    private static String f2(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    void server(InfoWriter w) {
        Config config = server.config();
        long nowMicros = currentMicros();
        long uptime = (System.currentTimeMillis() - server.startMillis()) / 1000;
        w.field("redis_version", CinnabarServer.VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", buildId())
                .field("redis_mode", config.getBoolean("cluster-enabled") ? "cluster" : "standalone")
                .field("os", ProcessStats.os())
                .field("arch_bits", ProcessStats.archBits())
                .field("monotonic_clock", "POSIX clock_gettime")
                .field("multiplexing_api", server.transport() != null && server.transport().isEpoll() ? "epoll" : "nio")
                .field("atomicvar_api", "java.util.concurrent")
                .field("gcc_version", "0.0.0")
                .field("process_id", ProcessHandle.current().pid())
                .field("process_supervised", config.get("supervised"))
                .field("run_id", server.runId())
                .field("tcp_port", server.port())
                .field("server_time_usec", nowMicros)
                .field("uptime_in_seconds", uptime)
                .field("uptime_in_days", uptime / 86400)
                .field("hz", config.getInt("hz"))
                .field("configured_hz", config.getInt("hz"))
                .field("lru_clock", LruClock.clock(System.currentTimeMillis()))
                .field("executable", ProcessStats.executable())
                .field("config_file", config.file() == null ? "" : config.file().toAbsolutePath().toString())
                .field("io_threads_active", 0)
                .field("listener0", listener(config))
                .field("cinnabar_version", cinnabarVersion())
                .field("java_version", System.getProperty("java.version", ""));
    }

    private static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** A stable 16-hex id of this build (Redis hashes its build environment the same way). */
    private static String buildId() {
        long high = ("cinnabar-" + cinnabarVersion()).hashCode();
        long low = (CinnabarServer.VERSION + "-" + System.getProperty("java.version", "")).hashCode() & 0xffffffffL;
        return String.format("%016x", (high << 32) | low);
    }

    private static String cinnabarVersion() {
        String v = CinnabarServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    private String listener(Config config) {
        StringBuilder sb = new StringBuilder("name=tcp");
        for (String addr : config.get("bind").trim().split("\\s+")) {
            if (!addr.isEmpty()) {
                sb.append(",bind=").append(addr);
            }
        }
        return sb.append(",port=").append(server.port()).toString();
    }

    void clients(InfoWriter w) {
        long maxIn = 0;
        long maxOut = 0;
        int n = 0;
        for (ClientConnection c : server.clients().all()) {
            maxIn = Math.max(maxIn, c.queryBufferCapacity());
            maxOut = Math.max(maxOut, c.reply() == null ? 0 : c.reply().pendingBytes());
            n++;
        }
        w.field("connected_clients", n)
                .field("cluster_connections", server.cluster() == null ? 0 : server.cluster().connections())
                .field("maxclients", server.config().getLong("maxclients"))
                .field("client_recent_max_input_buffer", maxIn)
                .field("client_recent_max_output_buffer", maxOut)
                .field("blocked_clients", server.blocking().blockedClients())
                .field("tracking_clients", 0)
                .field("clients_in_timeout_table", server.blocking().clientsWithTimeout())
                .field("total_blocking_keys", server.blocking().blockingKeys())
                .field("total_blocking_keys_on_nokey", 0);
    }

    void memory(InfoWriter w) {
        MemoryReport m = MemoryReport.measure(server);
        w.field("used_memory", m.used())
                .field("used_memory_human", MemoryReport.human(m.used()))
                .field("used_memory_rss", m.rss())
                .field("used_memory_rss_human", MemoryReport.human(m.rss()))
                .field("used_memory_peak", m.peak())
                .field("used_memory_peak_human", MemoryReport.human(m.peak()))
                .field("used_memory_peak_perc", f2(m.peakPercent()) + "%")
                .field("used_memory_overhead", m.overhead())
                .field("used_memory_startup", m.startup())
                .field("used_memory_dataset", m.dataset())
                .field("used_memory_dataset_perc", f2(m.datasetPercent()) + "%")
                .field("allocator_allocated", m.used())
                .field("allocator_active", m.allocatorActive())
                .field("allocator_resident", m.allocatorResident())
                .field("total_system_memory", m.totalSystem())
                .field("total_system_memory_human", MemoryReport.human(m.totalSystem()))
                .field("used_memory_lua", 0)
                .field("used_memory_vm_eval", 0)
                .field("used_memory_lua_human", "0B")
                .field("used_memory_scripts_eval", 0)
                .field("number_of_cached_scripts", 0)
                .field("number_of_functions", 0)
                .field("number_of_libraries", 0)
                .field("used_memory_vm_functions", 0)
                .field("used_memory_vm_total", 0)
                .field("used_memory_vm_total_human", "0B")
                .field("used_memory_functions", 0)
                .field("used_memory_scripts", 0)
                .field("used_memory_scripts_human", "0B")
                .field("maxmemory", m.maxmemory())
                .field("maxmemory_human", MemoryReport.human(m.maxmemory()))
                .field("maxmemory_policy", m.policy())
                .field("allocator_frag_ratio", f2(m.allocatorFragRatio()))
                .field("allocator_frag_bytes", m.allocatorFragBytes())
                .field("allocator_rss_ratio", f2(m.allocatorRssRatio()))
                .field("allocator_rss_bytes", m.allocatorRssBytes())
                .field("rss_overhead_ratio", f2(m.rssOverheadRatio()))
                .field("rss_overhead_bytes", m.rssOverheadBytes())
                .field("mem_fragmentation_ratio", f2(m.fragmentationRatio()))
                .field("mem_fragmentation_bytes", m.fragmentationBytes())
                .field("mem_not_counted_for_evict", 0)
                .field("mem_replication_backlog", 0)
                .field("mem_total_replication_buffers", 0)
                .field("mem_clients_slaves", 0)
                .field("mem_clients_normal", m.clientsNormal())
                .field("mem_cluster_links", 0)
                .field("mem_aof_buffer", 0)
                .field("mem_allocator", "jvm-" + System.getProperty("java.vm.version", ""))
                .field("active_defrag_running", 0)
                .field("lazyfree_pending_objects", 0)
                .field("lazyfreed_objects", 0);
    }

    void persistence(InfoWriter w) {
        w.field("loading", 0)
                .field("async_loading", 0)
                .field("current_cow_peak", 0)
                .field("current_cow_size", 0)
                .field("current_cow_size_age", 0)
                .field("current_fork_perc", "0.00")
                .field("current_save_keys_processed", 0)
                .field("current_save_keys_total", 0)
                .field("rdb_changes_since_last_save", server.stats().dirty)
                .field("rdb_bgsave_in_progress", 0)
                .field("rdb_last_save_time", server.startMillis() / 1000)
                .field("rdb_last_bgsave_status", "ok")
                .field("rdb_last_bgsave_time_sec", -1)
                .field("rdb_current_bgsave_time_sec", -1)
                .field("rdb_saves", 0)
                .field("rdb_last_cow_size", 0)
                .field("rdb_last_load_keys_expired", 0)
                .field("rdb_last_load_keys_loaded", 0)
                .field("aof_enabled", server.config().getBoolean("appendonly") ? 1 : 0)
                .field("aof_rewrite_in_progress", 0)
                .field("aof_rewrite_scheduled", 0)
                .field("aof_last_rewrite_time_sec", -1)
                .field("aof_current_rewrite_time_sec", -1)
                .field("aof_last_bgrewrite_status", "ok")
                .field("aof_rewrites", 0)
                .field("aof_rewrites_consecutive_failures", 0)
                .field("aof_last_write_status", "ok")
                .field("aof_last_cow_size", 0)
                .field("module_fork_in_progress", 0)
                .field("module_fork_last_cow_size", 0);
    }

    void stats(InfoWriter w) {
        ServerStats s = server.stats();
        ServerMetrics m = server.metrics();
        w.field("total_connections_received", s.connectionsReceived)
                .field("total_commands_processed", s.commandsProcessed)
                .field("instantaneous_ops_per_sec", m.opsPerSecond())
                .field("total_net_input_bytes", s.netInputBytes)
                .field("total_net_output_bytes", s.netOutputBytes)
                .field("total_net_repl_input_bytes", server.stats().netReplInputBytes)
                .field("total_net_repl_output_bytes", server.stats().netReplOutputBytes)
                .field("instantaneous_input_kbps", f2(m.inputKbps()))
                .field("instantaneous_output_kbps", f2(m.outputKbps()))
                .field("instantaneous_input_repl_kbps", "0.00")
                .field("instantaneous_output_repl_kbps", "0.00")
                .field("rejected_connections", s.rejectedConnections)
                .field("sync_full", server.stats().syncFull)
                .field("sync_partial_ok", server.stats().syncPartialOk)
                .field("sync_partial_err", server.stats().syncPartialErr)
                .field("expired_keys", s.expiredKeys)
                .field("expired_stale_perc", f2(s.expiredStalePerc))
                .field("expired_time_cap_reached_count", 0)
                .field("expire_cycle_cpu_milliseconds", 0)
                .field("evicted_keys", s.evictedKeys)
                .field("evicted_clients", 0)
                .field("total_eviction_exceeded_time", 0)
                .field("current_eviction_exceeded_time", 0)
                .field("keyspace_hits", s.keyspaceHits)
                .field("keyspace_misses", s.keyspaceMisses)
                .field("pubsub_channels", 0)
                .field("pubsub_patterns", 0)
                .field("pubsubshard_channels", 0)
                .field("latest_fork_usec", 0)
                .field("total_forks", 0)
                .field("migrate_cached_sockets", 0)
                .field("slave_expires_tracked_keys", 0)
                .field("active_defrag_hits", 0)
                .field("active_defrag_misses", 0)
                .field("active_defrag_key_hits", 0)
                .field("active_defrag_key_misses", 0)
                .field("total_active_defrag_time", 0)
                .field("current_active_defrag_time", 0)
                .field("tracking_total_keys", 0)
                .field("tracking_total_items", 0)
                .field("tracking_total_prefixes", 0)
                .field("unexpected_error_replies", s.unexpectedErrorReplies)
                .field("total_error_replies", s.totalErrorReplies)
                .field("dump_payload_sanitizations", 0)
                .field("total_reads_processed", s.readsProcessed)
                .field("total_writes_processed", s.writesProcessed)
                .field("io_threaded_reads_processed", 0)
                .field("io_threaded_writes_processed", 0)
                .field("reply_buffer_shrinks", 0)
                .field("reply_buffer_expands", 0)
                .field("eventloop_cycles", 0)
                .field("eventloop_duration_sum", 0)
                .field("eventloop_duration_cmd_sum", 0)
                .field("instantaneous_eventloop_cycles_per_sec", 0)
                .field("instantaneous_eventloop_duration_usec", 0)
                .field("acl_access_denied_auth", 0)
                .field("acl_access_denied_cmd", 0)
                .field("acl_access_denied_key", 0)
                .field("acl_access_denied_channel", 0);
    }

    void replication(InfoWriter w) {
        io.cinnabar.kernel.replication.ReplicationInfo.write(server, w);
    }

    void cpu(InfoWriter w) {
        ProcessStats.CpuTimes t = ProcessStats.cpu();
        w.field("used_cpu_sys", ProcessStats.seconds(t.sys()))
                .field("used_cpu_user", ProcessStats.seconds(t.user()))
                .field("used_cpu_sys_children", ProcessStats.seconds(t.sysChildren()))
                .field("used_cpu_user_children", ProcessStats.seconds(t.userChildren()))
                .field("used_cpu_sys_main_thread", ProcessStats.seconds(t.sysMainThread()))
                .field("used_cpu_user_main_thread", ProcessStats.seconds(t.userMainThread()));
    }

    /** Plugins are our modules: {@code module:name=..,ver=..} as Redis lists loaded modules. */
    void modules(InfoWriter w) {
        for (PluginHost.LoadedPlugin p : server.plugins().loaded()) {
            w.field("module", "name=" + p.id() + ",ver=" + ServerInfo.moduleVersion(p.version())
                    + ",api=1,filters=0,usedby=[],using=[],options=[]");
        }
    }

    /** Every command, each followed by its subcommands (the order commandstats and latencystats list them in). */
    private void forEachCommand(java.util.function.Consumer<Command> action) {
        for (Command c : server.commands().all()) {
            action.accept(c);
            CommandDescription.subcommands(c).forEach(action);
        }
    }

    void commandstats(InfoWriter w) {
        forEachCommand(c -> commandStat(w, c));
    }

    private static void commandStat(InfoWriter w, Command c) {
        CommandStats s = c.stats();
        if (s.calls == 0 && s.failedCalls == 0 && s.rejectedCalls == 0) {
            return;
        }
        double perCall = s.calls == 0 ? 0 : (double) s.micros / s.calls;
        w.field("cmdstat_" + c.fullName(), "calls=" + s.calls + ",usec=" + s.micros + ",usec_per_call="
                + f2(perCall) + ",rejected_calls=" + s.rejectedCalls + ",failed_calls=" + s.failedCalls);
    }

    void errorstats(InfoWriter w) {
        for (Map.Entry<String, Long> e : server.stats().errorCounts.entrySet()) {
            w.field("errorstat_" + e.getKey(), "count=" + e.getValue());
        }
    }

    void latencystats(InfoWriter w) {
        double[] percentiles = percentiles(server.config().get("latency-tracking-info-percentiles"));
        forEachCommand(c -> latencyStat(w, c, percentiles));
    }

    private void latencyStat(InfoWriter w, Command c, double[] percentiles) {
        LatencyHistogram h = server.metrics().latency(c);
        if (h == null) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < percentiles.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('p').append(trimDouble(percentiles[i])).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", h.valueAtPercentile(percentiles[i]) / 1000.0));
        }
        w.field("latency_percentiles_usec_" + c.fullName(), sb);
    }

    static double[] percentiles(String config) {
        if (config == null || config.isBlank()) {
            return new double[0];
        }
        String[] parts = config.trim().split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    /** {@code %f} without trailing zeros (Redis's trimDoubleString): 50 -> "50", 99.9 -> "99.9". */
    static String trimDouble(double d) {
        String s = String.format(Locale.ROOT, "%f", d);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    void cluster(InfoWriter w) {
        w.field("cluster_enabled", server.config().getBoolean("cluster-enabled") ? 1 : 0);
    }

    void keyspace(InfoWriter w) {
        for (Database db : server.databases()) {
            long keys = db.size();
            long expires = db.expiresSize();
            if (keys > 0 || expires > 0) {
                w.field("db" + db.id(), "keys=" + keys + ",expires=" + expires + ",avg_ttl="
                        + db.averageTtl(System.currentTimeMillis()));
            }
        }
    }

    /** Our own section: what each plugin brought. */
    void plugins(InfoWriter w) {
        w.field("plugins_loaded", server.plugins().loaded().size());
        for (PluginHost.LoadedPlugin p : server.plugins().loaded()) {
            int commands = 0;
            for (Command c : server.commands().all()) {
                if (c.origin().equals(p.id())) {
                    commands++;
                }
            }
            w.field("plugin_" + p.id(), "version=" + p.version() + ",commands=" + commands + ",path=" + p.path());
        }
        w.field("info_sections", server.plugins().infoSections().size())
                .field("data_types", server.plugins().dataTypes().size());
    }
}
