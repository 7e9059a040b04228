package io.cinnabar.kernel.config;

import io.cinnabar.api.ConfigParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The kernel's configuration parameters as data, as Redis 7.2's {@code static_configs} table declares
 * them: {@code name|type|default|min|max|flags}. Types: bool, int, mem (memory units), umem (unsigned
 * memory), pmem (memory or percent), octal, str (empty allowed), nstr (empty means unset), enum:a,b
 * (x=y: x is an input alias of y), flags:a,b (several names OR'ed), special ({@link SpecialConfigs}).
 * Flags: I immutable, P protected, H hidden from patterns, S sensitive, M multiple arguments.
 * Verified against redis-server 7.2 by CONFIG SET probes (see ConfigFamilyTest).
 */
final class KernelConfigs {
    private KernelConfigs() {
    }

    private static final String LLONG = "9223372036854775807";
    private static final String INT = "2147483647";

    private static final String TABLE = """
            acl-pubsub-default|enum:allchannels,resetchannels|resetchannels|||
            aclfile|str||||I
            acllog-max-len|int|128|0|LLONG|
            active-defrag-cycle-max|int|25|1|99|
            active-defrag-cycle-min|int|1|1|99|
            active-defrag-ignore-bytes|mem|104857600|1|LLONG|
            active-defrag-max-scan-fields|int|1000|1|LLONG|
            active-defrag-threshold-lower|int|10|0|1000|
            active-defrag-threshold-upper|int|100|0|1000|
            active-expire-effort|int|1|1|10|
            activedefrag|bool|no|||
            activerehashing|bool|yes|||
            always-show-logo|bool|no|||I
            aof-disable-auto-gc|bool|no|||H
            aof-load-truncated|bool|yes|||
            aof-rewrite-incremental-fsync|bool|yes|||
            aof-timestamp-enabled|bool|no|||
            aof-use-rdb-preamble|bool|yes|||
            aof_rewrite_cpulist|nstr||||I
            appenddirname|special|appendonlydir|||I
            appendfilename|special|appendonly.aof|||I
            appendfsync|enum:everysec,always,no|everysec|||
            appendonly|bool|no|||
            auto-aof-rewrite-min-size|mem|67108864|0|LLONG|
            auto-aof-rewrite-percentage|int|100|0|INT|
            bgsave_cpulist|nstr||||I
            bind|special|* -::*|||M
            bind-source-addr|nstr|||||
            bio_cpulist|nstr||||I
            busy-reply-threshold|int|5000|0|LLONG|
            client-output-buffer-limit|special|normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60|||M
            client-query-buffer-limit|mem|1073741824|1048576|LLONG|
            cluster-allow-pubsubshard-when-down|bool|yes|||
            cluster-allow-reads-when-down|bool|no|||
            cluster-allow-replica-migration|bool|yes|||
            cluster-announce-bus-port|int|0|0|65535|
            cluster-announce-hostname|nstr|||||
            cluster-announce-human-nodename|nstr|||||
            cluster-announce-ip|nstr|||||
            cluster-announce-port|int|0|0|65535|
            cluster-announce-tls-port|int|0|0|65535|
            cluster-config-file|str|nodes.conf|||I
            cluster-enabled|bool|no|||I
            cluster-link-sendbuf-limit|umem|0|0|-1|
            cluster-migration-barrier|int|1|0|INT|
            cluster-node-timeout|int|15000|0|LLONG|
            cluster-port|int|0|0|65535|I
            cluster-preferred-endpoint-type|enum:ip,hostname,unknown-endpoint|ip|||
            cluster-replica-no-failover|bool|no|||
            cluster-replica-validity-factor|int|10|0|INT|
            cluster-require-full-coverage|bool|yes|||
            cluster-slot-stats-enabled|bool|no|||
            crash-log-enabled|bool|yes|||
            crash-memcheck-enabled|bool|yes|||
            daemonize|bool|no|||I
            databases|int|16|1|INT|I
            dbfilename|str|dump.rdb|||P
            dir|special|.|||P
            disable-thp|bool|yes|||I
            dynamic-hz|bool|yes|||
            enable-debug-command|enum:no,yes,local|no|||I
            enable-module-command|enum:no,yes,local|no|||I
            enable-protected-configs|enum:no,yes,local|no|||I
            hash-max-listpack-entries|int|512|0|LLONG|
            hash-max-listpack-value|mem|64|0|LLONG|
            hll-sparse-max-bytes|mem|3000|0|LLONG|
            hz|int|10|0|INT|
            ignore-warnings|str|||||
            io-threads|int|1|1|128|I
            io-threads-do-reads|bool|no|||I
            jemalloc-bg-thread|bool|yes|||
            key-load-delay|int|0|-2147483648|INT|H
            latency-monitor-threshold|int|0|0|LLONG|
            latency-tracking|bool|yes|||
            latency-tracking-info-percentiles|special|50 99 99.9|||M
            lazyfree-lazy-eviction|bool|no|||
            lazyfree-lazy-expire|bool|no|||
            lazyfree-lazy-server-del|bool|no|||
            lazyfree-lazy-user-del|bool|no|||
            lazyfree-lazy-user-flush|bool|no|||
            lfu-decay-time|int|1|0|INT|
            lfu-log-factor|int|10|0|INT|
            list-compress-depth|int|0|0|INT|
            list-max-listpack-size|int|-2|-2147483648|INT|
            loading-process-events-interval-bytes|int|2097152|1024|INT|H
            locale-collate|str|||||
            logfile|str||||I
            loglevel|enum:debug,verbose,notice,warning,nothing|notice|||
            masterauth|nstr||||S
            masteruser|nstr||||S
            maxclients|int|10000|1|4294967295|
            maxmemory|umem|0|0|-1|
            maxmemory-clients|pmem|0|-100|LLONG|
            maxmemory-eviction-tenacity|int|10|0|100|
            maxmemory-policy|enum:volatile-lru,volatile-lfu,volatile-random,volatile-ttl,allkeys-lru,allkeys-lfu,allkeys-random,noeviction|noeviction|||
            maxmemory-samples|int|5|1|INT|
            min-replicas-max-lag|int|10|0|INT|
            min-replicas-to-write|int|0|0|INT|
            no-appendfsync-on-rewrite|bool|no|||
            notify-keyspace-events|special||||
            oom-score-adj|enum:no,yes,relative=yes,absolute|no|||
            oom-score-adj-values|special|0 200 800|||M
            pidfile|nstr||||I
            port|int|6379|0|65535|
            proc-title-template|str|{title} {listen-addr} {server-mode}|||
            propagation-error-behavior|enum:ignore,panic,panic-on-replicas|ignore|||
            protected-mode|bool|yes|||
            proto-max-bulk-len|mem|536870912|1048576|LLONG|
            rdb-del-sync-files|bool|no|||
            rdb-key-save-delay|int|0|-2147483648|INT|H
            rdb-save-incremental-fsync|bool|yes|||
            rdbchecksum|bool|yes|||I
            rdbcompression|bool|yes|||
            repl-backlog-size|mem|1048576|1|LLONG|
            repl-backlog-ttl|int|3600|0|LLONG|
            repl-disable-tcp-nodelay|bool|no|||
            repl-diskless-load|enum:disabled,on-empty-db,swapdb|disabled|||
            repl-diskless-sync|bool|yes|||
            repl-diskless-sync-delay|int|5|0|INT|
            repl-diskless-sync-max-replicas|int|0|0|INT|
            repl-ping-replica-period|int|10|1|INT|
            repl-timeout|int|60|1|INT|
            replica-announce-ip|nstr|||||
            replica-announce-port|int|0|0|65535|
            replica-announced|bool|yes|||
            replica-ignore-disk-write-errors|bool|no|||
            replica-ignore-maxmemory|bool|yes|||
            replica-lazy-flush|bool|no|||
            replica-priority|int|100|0|INT|
            replica-read-only|bool|yes|||
            replica-serve-stale-data|bool|yes|||
            replicaof|special||||IM
            requirepass|nstr||||S
            sanitize-dump-payload|enum:no,yes,clients|no|||
            save|special|3600 1 300 100 60 10000|||M
            server_cpulist|nstr||||I
            set-max-intset-entries|int|512|0|LLONG|
            set-max-listpack-entries|int|128|0|LLONG|
            set-max-listpack-value|int|64|0|LLONG|
            set-proc-title|bool|yes|||I
            shutdown-on-sigint|flags:default,save,nosave,now,force|default|||M
            shutdown-on-sigterm|flags:default,save,nosave,now,force|default|||M
            shutdown-timeout|int|10|0|INT|
            slowlog-log-slower-than|int|10000|-1|LLONG|
            slowlog-max-len|int|128|0|LLONG|
            socket-mark-id|int|0|0|4294967295|I
            stop-writes-on-bgsave-error|bool|yes|||
            stream-node-max-bytes|mem|4096|0|LLONG|
            stream-node-max-entries|int|100|0|LLONG|
            supervised|enum:upstart,systemd,auto,no|no|||I
            syslog-enabled|bool|no|||I
            syslog-facility|enum:user,local0,local1,local2,local3,local4,local5,local6,local7|local0|||I
            syslog-ident|str|redis|||I
            tcp-backlog|int|511|0|INT|I
            tcp-keepalive|int|300|0|INT|
            timeout|int|0|0|INT|
            tls-auth-clients|enum:no,yes,optional|yes|||
            tls-ca-cert-dir|nstr|||||
            tls-ca-cert-file|nstr|||||
            tls-cert-file|nstr|||||
            tls-ciphers|nstr|||||
            tls-ciphersuites|nstr|||||
            tls-client-cert-file|nstr|||||
            tls-client-key-file|nstr|||||
            tls-client-key-file-pass|nstr||||S
            tls-cluster|bool|no|||
            tls-dh-params-file|nstr|||||
            tls-key-file|nstr|||||
            tls-key-file-pass|nstr||||S
            tls-port|int|0|0|65535|
            tls-prefer-server-ciphers|bool|no|||
            tls-protocols|nstr|||||
            tls-replication|bool|no|||
            tls-session-cache-size|int|20480|0|INT|
            tls-session-cache-timeout|int|300|0|INT|
            tls-session-caching|bool|yes|||
            tracking-table-max-keys|int|1000000|0|LLONG|
            unixsocket|nstr||||I
            unixsocketperm|octal|0|0|511|I
            use-exit-on-panic|bool|no|||H
            watchdog-period|int|0|0|INT|H
            zset-max-listpack-entries|int|128|0|LLONG|
            zset-max-listpack-value|mem|64|0|LLONG|
            plugins-dir|str|plugins|||I
            plugin-required|str||||I
            """;

    /** Old names Redis still accepts; CONFIG GET lists them as parameters of their own. */
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
            lua-time-limit|busy-reply-threshold
            """;

    /** Directives Redis 7.2 still accepts in a config file and ignores (name, min argc, max argc). */
    static final Map<String, int[]> DEPRECATED = Map.of(
            "list-max-ziplist-entries", new int[] {2, 2},
            "list-max-ziplist-value", new int[] {2, 2},
            "lua-replicate-commands", new int[] {2, 2});

    /** Every kernel parameter's metadata, in table order. */
    static Map<String, ConfigMeta> metas() {
        Map<String, ConfigMeta> out = new LinkedHashMap<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            String name = f[0];
            String type = f[1];
            String def = name.equals("dir") ? Path.of("").toAbsolutePath().toString() : f[2];
            long min = f[3].isEmpty() ? 0 : bound(f[3]);
            long max = f[4].isEmpty() ? 0 : bound(f[4]);
            ConfigMeta.EnumNames names = null;
            ConfigMeta.Kind kind;
            if (type.startsWith("enum:")) {
                kind = ConfigMeta.Kind.ENUM;
                names = ConfigMeta.EnumNames.of(type.substring(5), false);
            } else if (type.startsWith("flags:")) {
                kind = ConfigMeta.Kind.FLAGS_ENUM;
                names = ConfigMeta.EnumNames.of(type.substring(6), true);
            } else {
                kind = switch (type) {
                    case "bool" -> ConfigMeta.Kind.BOOL;
                    case "int" -> ConfigMeta.Kind.INT;
                    case "mem" -> ConfigMeta.Kind.MEMORY;
                    case "umem" -> ConfigMeta.Kind.UNSIGNED_MEMORY;
                    case "pmem" -> ConfigMeta.Kind.MEMORY_PERCENT;
                    case "octal" -> ConfigMeta.Kind.OCTAL;
                    case "str" -> ConfigMeta.Kind.STRING;
                    case "nstr" -> ConfigMeta.Kind.NULLABLE_STRING;
                    case "special" -> ConfigMeta.Kind.SPECIAL;
                    default -> throw new IllegalStateException("config type " + type);
                };
            }
            out.put(name, new ConfigMeta(name, kind, def, min, max, ConfigMeta.flags(f[5]), names, check(name)));
        }
        return out;
    }

    private static long bound(String s) {
        return switch (s) {
            case "LLONG" -> Long.MAX_VALUE;
            case "INT" -> Integer.MAX_VALUE;
            default -> Long.parseUnsignedLong(s.startsWith("-") ? Long.toUnsignedString(Long.parseLong(s)) : s);
        };
    }

    /** alias -> canonical name. */
    static Map<String, String> aliases() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : ALIASES.strip().split("\n")) {
            String[] a = line.strip().split("\\|");
            out.put(a[0], a[1]);
        }
        return out;
    }

    /** The API view of every kernel parameter (validator, default, aliases, flags). */
    static List<ConfigParameter> all(Map<String, ConfigMeta> metas) {
        Map<String, List<String>> aliasesOf = new HashMap<>();
        aliases().forEach((alias, name) -> aliasesOf.computeIfAbsent(name, k -> new ArrayList<>()).add(alias));
        List<ConfigParameter> out = new ArrayList<>();
        for (ConfigMeta m : metas.values()) {
            ConfigParameter p;
            if (m.kind() == ConfigMeta.Kind.SPECIAL) {
                SpecialConfigs.Special s = SpecialConfigs.of(m.name());
                String def = m.defaultValue();
                p = ConfigParameter.custom(m.name(), def, v -> s.set(ConfigLine.splitSpaces(v), def));
            } else {
                p = ConfigParameter.custom(m.name(), m.defaultValue(), v -> m.parse(List.of(v)));
            }
            List<String> al = aliasesOf.get(m.name());
            if (al != null) {
                p = p.withAliases(al.toArray(new String[0]));
            }
            if (m.has(ConfigMeta.Flag.IMMUTABLE)) {
                p = p.asImmutable();
            }
            if (m.has(ConfigMeta.Flag.SENSITIVE)) {
                p = p.asSensitive();
            }
            out.add(p);
        }
        return out;
    }

    /** Extra validity checks some parameters have (Redis's is_valid_fn and apply failures). */
    private static UnaryOperator<String> check(String name) {
        return switch (name) {
            case "dbfilename" -> v -> baseName(v, "dbfilename can't be a path, just a filename");
            case "appendfilename" -> v -> {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("appendfilename can't be empty");
                }
                return baseName(v, "appendfilename can't be a path, just a filename");
            };
            case "appenddirname" -> v -> {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("appenddirname can't be empty");
                }
                return baseName(v, "appenddirname can't be a path, just a dirname");
            };
            case "cluster-announce-hostname" -> KernelConfigs::hostname;
            case "cluster-announce-human-nodename" -> KernelConfigs::nodename;
            case "proc-title-template" -> KernelConfigs::procTitleTemplate;
            case "locale-collate" -> KernelConfigs::locale;
            case "hz" -> v -> Long.toString(Math.max(1, Math.min(500, Long.parseLong(v))));
            case "shutdown-on-sigint", "shutdown-on-sigterm" -> v -> {
                if ((" " + v + " ").contains(" save ") && (" " + v + " ").contains(" nosave ")) {
                    throw new IllegalArgumentException("shutdown options SAVE and NOSAVE can't be used simultaneously");
                }
                return v;
            };
            default -> null;
        };
    }

    private static String baseName(String v, String error) {
        if (v.contains("/")) {
            throw new IllegalArgumentException(error);
        }
        return v;
    }

    private static String hostname(String v) {
        if (v.length() >= 256) {
            throw new IllegalArgumentException("Hostnames must be less than 256 characters");
        }
        for (char c : v.toCharArray()) {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                throw new IllegalArgumentException("Hostnames may only contain alphanumeric characters, hyphens or dots");
            }
        }
        return v;
    }

    /** isValidAuxString: no character of "!#$%&()*+:;<>?@[]^{|}~" unless alphanumeric. */
    private static String nodename(String v) {
        for (char c : v.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && "!#$%&()*+:;<>?@[]^{|}~".indexOf(c) >= 0) {
                throw new IllegalArgumentException("Announced human node name contained invalid character");
            }
        }
        return v;
    }

    /**
     * validateProcTitleTemplate: every {variable} known and the expansion (with an empty title) not blank.
     * title, server-mode (outside cluster), config-file (unknown here) and unixsocket expand to nothing.
     */
    private static String procTitleTemplate(String v) {
        StringBuilder res = new StringBuilder();
        int p = 0;
        while (p < v.length()) {
            int sv = v.indexOf('{', p);
            if (sv < 0) {
                res.append(v, p, v.length());
                break;
            }
            res.append(v, p, sv);
            sv++;
            if (sv >= v.length()) {
                throw invalidTemplate();
            }
            if (v.charAt(sv) == '{') {
                res.append('{');
                p = sv + 1;
                continue;
            }
            int ev = v.indexOf('}', sv);
            if (ev < 0) {
                throw invalidTemplate();
            }
            res.append(switch (v.substring(sv, ev)) {
                case "title", "server-mode", "config-file", "unixsocket" -> "";
                case "listen-addr" -> "*:6379";
                case "port", "tls-port" -> "0";
                default -> throw invalidTemplate();
            });
            p = ev + 1;
        }
        // Redis trims spaces (only spaces) from the expansion and rejects an empty result
        if (res.toString().replace(" ", "").isEmpty()) {
            throw invalidTemplate();
        }
        return v;
    }

    private static IllegalArgumentException invalidTemplate() {
        return new IllegalArgumentException("template format is invalid or contains unknown variables");
    }

    /** setlocale(LC_COLLATE, v) succeeds for "", C, POSIX and the locales installed on this machine. */
    private static String locale(String v) {
        if (v.isEmpty() || v.equals("C") || v.equals("POSIX") || v.equals("C.UTF-8") || v.equals("C.utf8")) {
            return v;
        }
        String l = v.toLowerCase(Locale.ROOT).replace("utf-8", "utf8");
        if (!v.contains("/") && (Files.isDirectory(Path.of("/usr/lib/locale", v))
                || Files.isDirectory(Path.of("/usr/lib/locale", l)))) {
            return v;
        }
        throw new IllegalArgumentException("Invalid locale name");
    }

    /** Parameters whose repeated lines in a config file accumulate instead of replacing. */
    static final Set<String> ACCUMULATING = Set.of("save");
}
