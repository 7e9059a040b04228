package io.cinnabar.kernel.config;

import io.cinnabar.api.ConfigParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's configuration parameters as data: Redis 7.2's names, defaults and ranges
 * ({@code name|type|default[|min|max]}; type is bool, int, mem, string, enum:a,b,c or special), plus
 * the old names Redis still accepts as aliases. Special parameters have their own validators in
 * {@link SpecialConfigs}.
 */
final class KernelConfigs {
    private KernelConfigs() {
    }

    /** Parameters whose repeated lines in a config file accumulate instead of replacing. */
    static final Set<String> MULTI_LINE = Set.of("save", "client-output-buffer-limit");

    private static final String TABLE = """
            acl-pubsub-default|enum:allchannels,resetchannels|resetchannels
            aclfile|string|
            acllog-max-len|int|128|0|2147483647
            active-defrag-cycle-max|int|25|0|2147483647
            active-defrag-cycle-min|int|1|0|2147483647
            active-defrag-ignore-bytes|mem|104857600|0|9223372036854775807
            active-defrag-max-scan-fields|int|1000|0|2147483647
            active-defrag-threshold-lower|int|10|0|2147483647
            active-defrag-threshold-upper|int|100|0|2147483647
            active-expire-effort|int|1|1|10
            activedefrag|bool|no
            activerehashing|bool|yes
            always-show-logo|bool|no
            aof-load-truncated|bool|yes
            aof-rewrite-incremental-fsync|bool|yes
            aof-timestamp-enabled|bool|no
            aof-use-rdb-preamble|bool|yes
            aof_rewrite_cpulist|string|
            appenddirname|string|appendonlydir
            appendfilename|string|appendonly.aof
            appendfsync|enum:always,everysec,no|everysec
            appendonly|bool|no
            auto-aof-rewrite-min-size|mem|67108864|0|9223372036854775807
            auto-aof-rewrite-percentage|int|100|0|2147483647
            bgsave_cpulist|string|
            bind|special|* -::*
            bind-source-addr|string|
            bio_cpulist|string|
            busy-reply-threshold|int|5000|0|2147483647
            client-output-buffer-limit|special|normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60
            client-query-buffer-limit|mem|1073741824|0|9223372036854775807
            cluster-allow-pubsubshard-when-down|bool|yes
            cluster-allow-reads-when-down|bool|no
            cluster-allow-replica-migration|bool|yes
            cluster-announce-bus-port|int|0|0|65535
            cluster-announce-hostname|string|
            cluster-announce-human-nodename|string|
            cluster-announce-ip|string|
            cluster-announce-port|int|0|0|65535
            cluster-announce-tls-port|int|0|0|65535
            cluster-config-file|string|nodes.conf
            cluster-enabled|bool|no
            cluster-link-sendbuf-limit|mem|0|0|9223372036854775807
            cluster-migration-barrier|int|1|0|2147483647
            cluster-node-timeout|int|15000|0|9223372036854775807
            cluster-port|int|0|0|65535
            cluster-preferred-endpoint-type|enum:ip,hostname,unknown-endpoint|ip
            cluster-replica-no-failover|bool|no
            cluster-replica-validity-factor|int|10|0|2147483647
            cluster-require-full-coverage|bool|yes
            crash-log-enabled|bool|yes
            crash-memcheck-enabled|bool|yes
            daemonize|bool|no
            databases|int|16|1|2147483647
            dbfilename|string|dump.rdb
            dir|string|.
            disable-thp|bool|yes
            dynamic-hz|bool|yes
            enable-debug-command|enum:no,yes,local|no
            enable-module-command|enum:no,yes,local|no
            enable-protected-configs|enum:no,yes,local|no
            hash-max-listpack-entries|int|512|0|2147483647
            hash-max-listpack-value|mem|64|0|9223372036854775807
            hll-sparse-max-bytes|mem|3000|0|9223372036854775807
            hz|int|10|0|2147483647
            ignore-warnings|string|
            io-threads|int|1|1|128
            io-threads-do-reads|bool|no
            jemalloc-bg-thread|bool|yes
            latency-monitor-threshold|int|0|0|9223372036854775807
            latency-tracking|bool|yes
            latency-tracking-info-percentiles|special|50 99 99.9
            lazyfree-lazy-eviction|bool|no
            lazyfree-lazy-expire|bool|no
            lazyfree-lazy-server-del|bool|no
            lazyfree-lazy-user-del|bool|no
            lazyfree-lazy-user-flush|bool|no
            lfu-decay-time|int|1|0|2147483647
            lfu-log-factor|int|10|0|2147483647
            list-compress-depth|int|0|0|2147483647
            list-max-listpack-size|int|-2|-2147483648|2147483647
            locale-collate|string|
            logfile|string|
            loglevel|enum:debug,verbose,notice,warning,nothing|notice
            lua-time-limit|int|5000|0|2147483647
            masterauth|string|
            masteruser|string|
            maxclients|int|10000|1|2147483647
            maxmemory|mem|0|0|9223372036854775807
            maxmemory-clients|mem|0|0|9223372036854775807
            maxmemory-eviction-tenacity|int|10|0|100
            maxmemory-policy|enum:volatile-lru,volatile-lfu,volatile-random,volatile-ttl,allkeys-lru,allkeys-lfu,allkeys-random,noeviction|noeviction
            maxmemory-samples|int|5|1|64
            min-replicas-max-lag|int|10|0|2147483647
            min-replicas-to-write|int|0|0|2147483647
            no-appendfsync-on-rewrite|bool|no
            notify-keyspace-events|special|
            oom-score-adj|enum:no,yes,relative,absolute|no
            oom-score-adj-values|special|0 200 800
            pidfile|string|
            port|int|6379|0|65535
            proc-title-template|string|{title} {listen-addr} {server-mode}
            propagation-error-behavior|enum:ignore,panic,panic-on-replicas|ignore
            protected-mode|bool|yes
            proto-max-bulk-len|mem|536870912|1048576|9223372036854775807
            rdb-del-sync-files|bool|no
            rdb-save-incremental-fsync|bool|yes
            rdbchecksum|bool|yes
            rdbcompression|bool|yes
            repl-backlog-size|mem|1048576|0|9223372036854775807
            repl-backlog-ttl|int|3600|0|2147483647
            repl-disable-tcp-nodelay|bool|no
            repl-diskless-load|enum:disabled,on-empty-db,swapdb|disabled
            repl-diskless-sync|bool|yes
            repl-diskless-sync-delay|int|5|0|2147483647
            repl-diskless-sync-max-replicas|int|0|0|2147483647
            repl-ping-replica-period|int|10|1|2147483647
            repl-timeout|int|60|1|2147483647
            replica-announce-ip|string|
            replica-announce-port|int|0|0|65535
            replica-announced|bool|yes
            replica-ignore-disk-write-errors|bool|no
            replica-ignore-maxmemory|bool|yes
            replica-lazy-flush|bool|no
            replica-priority|int|100|0|2147483647
            replica-read-only|bool|yes
            replica-serve-stale-data|bool|yes
            replicaof|special|
            requirepass|string|
            sanitize-dump-payload|enum:no,yes,clients|no
            save|special|3600 1 300 100 60 10000
            server_cpulist|string|
            set-max-intset-entries|int|512|0|2147483647
            set-max-listpack-entries|int|128|0|2147483647
            set-max-listpack-value|mem|64|0|9223372036854775807
            set-proc-title|bool|yes
            shutdown-on-sigint|enum:default,save,nosave,now,force|default
            shutdown-on-sigterm|enum:default,save,nosave,now,force|default
            shutdown-timeout|int|10|0|2147483647
            slowlog-log-slower-than|int|10000|-1|9223372036854775807
            slowlog-max-len|int|128|0|9223372036854775807
            socket-mark-id|int|0|0|2147483647
            stop-writes-on-bgsave-error|bool|yes
            stream-node-max-bytes|mem|4096|0|9223372036854775807
            stream-node-max-entries|int|100|0|2147483647
            supervised|enum:upstart,systemd,auto,no|no
            syslog-enabled|bool|no
            syslog-facility|enum:user,local0,local1,local2,local3,local4,local5,local6,local7|local0
            syslog-ident|string|redis
            tcp-backlog|int|511|0|2147483647
            tcp-keepalive|int|300|0|2147483647
            timeout|int|0|0|2147483647
            tls-auth-clients|bool|yes
            tls-ca-cert-dir|string|
            tls-ca-cert-file|string|
            tls-cert-file|string|
            tls-ciphers|string|
            tls-ciphersuites|string|
            tls-client-cert-file|string|
            tls-client-key-file|string|
            tls-client-key-file-pass|string|
            tls-cluster|bool|no
            tls-dh-params-file|string|
            tls-key-file|string|
            tls-key-file-pass|string|
            tls-port|int|0|0|65535
            tls-prefer-server-ciphers|bool|no
            tls-protocols|string|
            tls-replication|bool|no
            tls-session-cache-size|int|20480|0|2147483647
            tls-session-cache-timeout|int|300|0|2147483647
            tls-session-caching|bool|yes
            tracking-table-max-keys|int|1000000|0|9223372036854775807
            unixsocket|string|
            unixsocketperm|int|0|0|511
            zset-max-listpack-entries|int|128|0|2147483647
            zset-max-listpack-value|mem|64|0|9223372036854775807
            plugins-dir|string|plugins
            plugin-required|string|
            """;

    private static final String ALIASES = """
            slaveof|replicaof
            slave-announce-ip|replica-announce-ip
            slave-announce-port|replica-announce-port
            slave-ignore-maxmemory|replica-ignore-maxmemory
            slave-lazy-flush|replica-lazy-flush
            slave-priority|replica-priority
            slave-read-only|replica-read-only
            slave-serve-stale-data|replica-serve-stale-data
            min-slaves-max-lag|min-replicas-max-lag
            min-slaves-to-write|min-replicas-to-write
            repl-ping-slave-period|repl-ping-replica-period
            cluster-slave-no-failover|cluster-replica-no-failover
            cluster-slave-validity-factor|cluster-replica-validity-factor
            hash-max-ziplist-entries|hash-max-listpack-entries
            hash-max-ziplist-value|hash-max-listpack-value
            list-max-ziplist-size|list-max-listpack-size
            zset-max-ziplist-entries|zset-max-listpack-entries
            zset-max-ziplist-value|zset-max-listpack-value
            """;

    static List<ConfigParameter> all() {
        Map<String, List<String>> aliasesOf = new HashMap<>();
        for (String line : ALIASES.strip().split("\n")) {
            String[] a = line.strip().split("\\|");
            aliasesOf.computeIfAbsent(a[1], k -> new ArrayList<>()).add(a[0]);
        }
        List<ConfigParameter> out = new ArrayList<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            String name = f[0];
            String type = f[1];
            String def = f[2];
            ConfigParameter p;
            if (type.equals("bool")) {
                p = ConfigParameter.bool(name, def.equals("yes"));
            } else if (type.equals("int")) {
                p = ConfigParameter.integer(name, Long.parseLong(def), Long.parseLong(f[3]), Long.parseLong(f[4]));
            } else if (type.equals("mem")) {
                p = ConfigParameter.memory(name, Long.parseLong(def), Long.parseLong(f[3]), Long.parseLong(f[4]));
            } else if (type.startsWith("enum:")) {
                p = ConfigParameter.oneOf(name, def, type.substring(5).split(","));
            } else if (type.equals("special")) {
                p = SpecialConfigs.of(name, def);
            } else {
                p = ConfigParameter.string(name, def);
            }
            List<String> al = aliasesOf.get(name);
            if (al != null) {
                p = p.withAliases(al.toArray(new String[0]));
            }
            if (IMMUTABLE.contains(name)) {
                p = p.asImmutable();
            }
            if (SENSITIVE.contains(name)) {
                p = p.asSensitive();
            }
            out.add(p);
        }
        return out;
    }

    /** Settable only at startup, as in Redis. */
    private static final Set<String> IMMUTABLE = Set.of("databases", "daemonize", "io-threads", "cluster-enabled",
            "cluster-config-file", "cluster-port", "supervised", "pidfile", "unixsocket", "unixsocketperm",
            "logfile", "syslog-enabled", "syslog-ident", "syslog-facility", "tcp-backlog", "io-threads-do-reads",
            "aclfile", "appenddirname", "enable-debug-command", "enable-module-command", "enable-protected-configs",
            "disable-thp", "always-show-logo", "set-proc-title", "tls-port", "tls-cluster", "tls-replication", "plugins-dir", "plugin-required");

    /** Not printed in logs or by CONFIG REWRITE comments. */
    private static final Set<String> SENSITIVE = Set.of("requirepass", "masterauth", "tls-key-file-pass",
            "tls-client-key-file-pass");
}
