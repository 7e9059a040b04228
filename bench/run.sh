#!/usr/bin/env bash
# bench/run.sh: Cinnabar against the reference redis-server on this machine, in the same run.
#
#   bench/run.sh [--rounds N] [--warmup N] [--quick] [--requests N] [--requests-p1 N] [--data-size BYTES]
#                [--keys N] [--elements N] [--strings-only] [--no-memory] [--no-pubsub] [--engine heap|mapped]
#                [--memory-only KINDS]   (KINDS: comma list of strings,hash,zset,set,list,smallhashes)
#
# Needs the built tarball (mvn -B -q package -DskipTests) and redis-server, redis-benchmark, redis-cli:
# $CINNABAR_REFERENCE_REDIS (a redis-server binary), else shared/redis-7.2/ found from the repository upwards
# (as the test kit's ReferenceRedis looks), else the PATH; redis-benchmark and redis-cli from the server's
# folder, else the PATH.
#
# Throughput: SET, GET, INCR, MSET and the collection tests LPUSH, LPOP, LRANGE_100, SADD, SPOP, HSET, ZADD
# plus ZRANGEBYSCORE (a custom command: "ZRANGEBYSCORE myzset <random> +inf LIMIT 0 10" over the set ZADD
# filled) with redis-benchmark -c 50 -r 100000, at -P 1 and -P 16, against each server in turn, alternating
# which goes first (ABBA) over N rounds so drift and noise from other work on the machine fall on both; the
# table shows medians. Cinnabar is warmed up first with --warmup passes (default 2) of every test at -P 16 and
# one at -P 1: a fresh JVM reaches its steady state after about 3 runs of 1M requests of a test (the JIT
# compiles the hot path, then once more after the first runs bring the paths they had not taken).
# Pub/Sub: PUBLISH fan-out to 1 and to 50 subscribers (bench/pubsub/PubSubBench.java, run as a single-file
# Java program): messages delivered per second, from the first PUBLISH until every subscriber read every
# message; same ABBA rounds and medians.
# Memory: N string keys (key:000000123, 16-byte values), and collections of --elements members (default 1M:
# one hash, one sorted set, one set, one list; plus elements/10 small hashes of 10 fields) loaded with
# redis-cli --pipe into a fresh instance of each server per data set; bytes per element from Redis's
# used_memory delta against Cinnabar's heap used after a full GC (jcmd), which is the layout's own cost
# without free heap, and from the VmRSS delta (/proc/<pid>/status) of each.
#
# Writes bench/results/<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=5
quick=no
rounds_set=""
warmup=2
requests=""
requests_p1=""
data_size=16
keys=1000000
elements=1000000
memory=yes
pubsub=yes
collections=yes
engine=heap
memory_only=""

usage() {
    sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; rounds_set=yes; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --quick) quick=yes; shift ;;
        --requests) requests="$2"; shift 2 ;;
        --requests-p1) requests_p1="$2"; shift 2 ;;
        --data-size) data_size="$2"; shift 2 ;;
        --keys) keys="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --strings-only) collections=no; shift ;;
        --no-memory) memory=no; shift ;;
        --no-pubsub) pubsub=no; shift ;;
        --engine) engine="$2"; shift 2 ;;
        --memory-only) memory_only=",$2,"; memory=yes; pubsub=no; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage 2 ;;
    esac
done
if [ "$quick" = yes ]; then
    [ -n "$rounds_set" ] || rounds=2
    req_p1="${requests:-20000}"
    req_p16="${requests:-200000}"
    [ "$keys" = 1000000 ] && keys=200000
    pubsub_msgs_1=100000
    pubsub_msgs_50=20000
    [ "$elements" = 1000000 ] && elements=200000
else
    req_p1="${requests_p1:-${requests:-100000}}"
    req_p16="${requests:-1000000}"
    pubsub_msgs_1=500000
    pubsub_msgs_50=100000
fi

# tools, the unpacked tarball, servers started and stopped by pid (cleaned up on exit)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# ---- throughput ----
if [ -z "$memory_only" ]; then
RAW="$WORK/raw.csv"   # server,pipeline,test,rps,p50,p99
: >"$RAW"
# one CSV row per test: "LRANGE_100 (first 100 elements)" is named LRANGE_100, the LPUSH that fills the list
# for LRANGE is left out, a custom command is named by its first word
csv_rows() {  # csv_rows <server-name> <pipeline>
    awk -F'","' -v s="$1" -v p="$2" 'NR > 1 {
        gsub(/"/, "", $1); gsub(/"/, "", $NF)
        if ($1 ~ /needed to benchmark/) next
        sub(/ \(.*\)$/, "", $1); sub(/ .*/, "", $1)
        print s "," p "," $1 "," $2 "," $5 "," $7 }'
}
bench_once() {  # bench_once <server-name> <port> <pipeline> <requests>
    "$REDIS_BENCHMARK" -p "$2" -t "$tests" -c 50 -n "$4" -r 100000 -d "$data_size" -P "$3" --csv \
        2>/dev/null | csv_rows "$1" "$3" >>"$RAW" || true
    if [ -n "$zrange" ]; then
        "$REDIS_BENCHMARK" -p "$2" -c 50 -n "$4" -r 100000 -P "$3" --csv \
            ZRANGEBYSCORE myzset __rand_int__ +inf LIMIT 0 10 2>/dev/null | csv_rows "$1" "$3" >>"$RAW" || true
    fi
}

redis_port="$(free_port)"
start_server redis "$redis_port" "$WORK/redis.log"
redis_pid="$started_pid"
cinnabar_port="$(free_port)"
while [ "$cinnabar_port" = "$redis_port" ]; do cinnabar_port="$(free_port)"; done
start_server cinnabar "$cinnabar_port" "$WORK/cinnabar.log"
cinnabar_pid="$started_pid"

# redis-benchmark stops at the first error reply: benchmark only the commands Cinnabar serves
tests=""
missing=""
zrange=""
probes=("set|SET bench:probe 1" "get|GET bench:probe" "incr|INCR bench:probe" "mset|MSET bench:a 1 bench:b 2")
if [ "$collections" = yes ]; then
    probes+=("lpush|LPUSH bench:l 1" "lpop|LPOP bench:l" "lrange_100|LRANGE bench:l 0 99" "sadd|SADD bench:s 1"
        "spop|SPOP bench:s" "hset|HSET bench:h f v" "zadd|ZADD bench:z 1 m"
        "zrangebyscore|ZRANGEBYSCORE bench:z 0 +inf LIMIT 0 10")
fi
for probe in "${probes[@]}"; do
    name="${probe%%|*}"
    cmd="${probe#*|}"
    # shellcheck disable=SC2086
    out="$("$REDIS_CLI" -p "$cinnabar_port" $cmd 2>&1 || true)"
    case "$out" in
        ERR*|*"unknown command"*) missing="$missing ${name^^}" ;;
        *) if [ "$name" = zrangebyscore ]; then zrange=yes; else tests="${tests:+$tests,}$name"; fi ;;
    esac
done
"$REDIS_CLI" -p "$cinnabar_port" DEL bench:probe bench:a bench:b bench:l bench:s bench:h bench:z >/dev/null 2>&1 || true
[ -z "$missing" ] || echo "run.sh: WARNING: Cinnabar does not serve:$missing; left out of the benchmark" >&2
[ -n "$tests" ] || { echo "run.sh: Cinnabar serves none of SET/GET/INCR/MSET yet" >&2; exit 1; }

echo "Warming up Cinnabar..." >&2
for ((w = 0; w < warmup; w++)); do
    bench_once warmup "$cinnabar_port" 16 "$req_p16"
done
bench_once warmup "$cinnabar_port" 1 "$req_p1"

for ((r = 1; r <= rounds; r++)); do
    if ((r % 2 == 1)); then order="redis cinnabar"; else order="cinnabar redis"; fi
    echo "Round $r/$rounds ($order)..." >&2
    for p in 1 16; do
        if [ "$p" = 1 ]; then n="$req_p1"; else n="$req_p16"; fi
        for s in $order; do
            if [ "$s" = redis ]; then bench_once redis "$redis_port" "$p" "$n"; else bench_once cinnabar "$cinnabar_port" "$p" "$n"; fi
        done
    done
done
fi
# median(list): the median of the space-separated numbers in list (awk)
AWK_MEDIAN='
        function median(list,   n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }'


# ---- pub/sub fan-out ----
PUBSUB_RAW="$WORK/pubsub.csv"   # server,subscribers,delivered_per_sec,server_cpu_ms_per_million
: >"$PUBSUB_RAW"
PUBSUB_BENCH="$ROOT/bench/pubsub/PubSubBench.java"
CLK_TCK="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of a process
# the server's CPU time per delivered message does not depend on what else the machine runs, unlike the rate
pubsub_once() {  # pubsub_once <server-name> <port> <pid> <subscribers> <messages>
    local line before after
    before="$(cpu_ticks "$3")"
    line="$(java "$PUBSUB_BENCH" "$2" "$4" "$5" 2>/dev/null || true)"
    after="$(cpu_ticks "$3")"
    [ -n "$line" ] && echo "$1,$4,${line%% *},$(( (after - before) * 1000 * 1000000 / CLK_TCK / ($5 * $4) ))" \
        >>"$PUBSUB_RAW"
    return 0
}
if [ "$pubsub" = yes ]; then
    out="$("$REDIS_CLI" -p "$cinnabar_port" PUBSUB NUMPAT 2>&1 || true)"
    if [[ "$out" =~ ^[0-9]+$ ]]; then
        echo "Pub/Sub: warming up Cinnabar..." >&2
        # the delivery path is compiled by the JIT over the first few hundred thousand messages
        for _ in 1 2 3; do
            pubsub_once warmup "$cinnabar_port" "$cinnabar_pid" 1 "$pubsub_msgs_1"
            pubsub_once warmup "$cinnabar_port" "$cinnabar_pid" 50 "$pubsub_msgs_50"
        done
        for ((r = 1; r <= rounds; r++)); do
            if ((r % 2 == 1)); then order="redis cinnabar"; else order="cinnabar redis"; fi
            echo "Pub/Sub round $r/$rounds ($order)..." >&2
            for subs in 1 50; do
                if [ "$subs" = 1 ]; then m="$pubsub_msgs_1"; else m="$pubsub_msgs_50"; fi
                for s in $order; do
                    if [ "$s" = redis ]; then pubsub_once redis "$redis_port" "$redis_pid" "$subs" "$m"
                    else pubsub_once cinnabar "$cinnabar_port" "$cinnabar_pid" "$subs" "$m"; fi
                done
            done
        done
    else
        echo "run.sh: WARNING: Cinnabar has no PUBSUB (pub/sub plugin missing); no pub/sub benchmark" >&2
        pubsub=no
    fi
fi

if [ -z "$memory_only" ]; then
    stop_server "$cinnabar_pid"
    stop_server "$redis_pid"
fi

pubsub_table() {
    awk -F, "$AWK_MEDIAN"'
        $1 != "warmup" { v[$1, $2] = v[$1, $2] " " $3; cpu[$1, $2] = cpu[$1, $2] " " $4
                         if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
        END {
            print "| subscribers | Redis msgs/s | Cinnabar msgs/s | Cinnabar/Redis | Redis CPU ms per 1M msgs | Cinnabar CPU ms per 1M msgs |"
            print "|---:|---:|---:|---:|---:|---:|"
            for (i = 1; i <= n; i++) {
                k = order[i]; rr = median(v["redis", k]); cr = median(v["cinnabar", k])
                printf "| %s | %.0f | %.0f | %.2f | %.0f | %.0f |\n", k, rr, cr, (rr > 0 ? cr / rr : 0),
                    median(cpu["redis", k]), median(cpu["cinnabar", k])
            }
        }' "$PUBSUB_RAW"
}

throughput_table() {
    awk -F, "$AWK_MEDIAN"'
        { k = $3 "|" $2; rps[$1, k] = rps[$1, k] " " $4; p50[$1, k] = p50[$1, k] " " $5; p99[$1, k] = p99[$1, k] " " $6
          if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
        END {
            print "| test | -P | Redis ops/s | Cinnabar ops/s | Cinnabar/Redis | Redis p50 / p99 ms | Cinnabar p50 / p99 ms |"
            print "|---|---:|---:|---:|---:|---:|---:|"
            for (i = 1; i <= nk; i++) {
                k = order[i]; split(k, kp, "|")
                rr = median(rps["redis", k]); cr = median(rps["cinnabar", k])
                printf "| %s | %s | %.0f | %.0f | %.2f | %.3f / %.3f | %.3f / %.3f |\n", kp[1], kp[2], rr, cr,
                    (rr > 0 ? cr / rr : 0), median(p50["redis", k]), median(p99["redis", k]),
                    median(p50["cinnabar", k]), median(p99["cinnabar", k])
            }
        }' "$RAW"
}

# ---- memory ----
memory_rows=""
if [ "$memory" = yes ]; then
    JCMD=""
    java_bin="$(readlink -f "$(command -v java)" 2>/dev/null || true)"
    [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jcmd" ] && JCMD="$JAVA_HOME/bin/jcmd"
    [ -z "$JCMD" ] && [ -n "$java_bin" ] && [ -x "$(dirname "$java_bin")/jcmd" ] && JCMD="$(dirname "$java_bin")/jcmd"
    heap_used_kb() {  # full GC, then the heap's used KB
        "$JCMD" "$1" GC.run >/dev/null 2>&1
        "$JCMD" "$1" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
    }
    # gen_pipe <kind> <n> <file>: the RESP to load one data set of n elements (100 per command for collections)
    gen_pipe() {
        awk -v kind="$1" -v n="$2" '
            function bulk(s) { return "$" length(s) "\r\n" s "\r\n" }
            function flush() { if (argc > 0) { printf "*%d\r\n%s", argc, buf }; buf = ""; argc = 0 }
            function arg(s) { buf = buf bulk(s); argc++ }
            BEGIN {
                if (kind == "strings") {
                    for (i = 0; i < n; i++) { arg("SET"); arg(sprintf("key:%09d", i)); arg(sprintf("val:%012d", i)); flush() }
                } else if (kind == "smallhashes") {
                    for (i = 0; i < n / 10; i++) {
                        arg("HSET"); arg(sprintf("hash:%07d", i))
                        for (f = 0; f < 10; f++) { arg("field" f); arg(sprintf("v%09d", i * 10 + f)) }
                        flush()
                    }
                } else {
                    for (i = 0; i < n; i++) {
                        if (i % 100 == 0) {
                            flush()
                            if (kind == "hash") { arg("HSET"); arg("bighash") }
                            if (kind == "zset") { arg("ZADD"); arg("bigzset") }
                            if (kind == "set") { arg("SADD"); arg("bigset") }
                            if (kind == "list") { arg("RPUSH"); arg("biglist") }
                        }
                        if (kind == "hash") { arg(sprintf("field:%09d", i)); arg(sprintf("v%09d", i)) }
                        if (kind == "zset") { arg(sprintf("%d", (i * 7919) % n)); arg(sprintf("member:%09d", i)) }
                        if (kind == "set") arg(sprintf("member:%09d", i))
                        if (kind == "list") arg(sprintf("val:%012d", i))
                    }
                    flush()
                }
            }' >"$3"
    }
    # measure <server> <pipe> <elements>: loads into a fresh server; sets m_load m_dbsize m_rss m_own (B/element)
    measure() {
        local port pid before after um_before um_after heap_before heap_after start_load
        port="$(free_port)"
        start_server "$1" "$port" "$WORK/$1-mem.log"
        pid="$started_pid"
        um_before=""; heap_before=""
        if [ "$1" = redis ]; then
            um_before="$("$REDIS_CLI" -p "$port" INFO memory | awk -F: '/^used_memory:/ {print $2+0}')"
        elif [ -n "$JCMD" ]; then
            heap_before="$(heap_used_kb "$pid")"
        fi
        before="$(rss_kb "$pid")"
        start_load="$(date +%s%N)"
        "$REDIS_CLI" -p "$port" --pipe <"$2" >"$WORK/$1-pipe.log" 2>&1 || true
        m_load="$(awk -v a="$start_load" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
        m_dbsize="$("$REDIS_CLI" -p "$port" DBSIZE 2>/dev/null || true)"
        [[ "$m_dbsize" =~ ^[0-9]+$ ]] || m_dbsize="?"
        # both servers give back what they no longer use before RSS is read: jemalloc's dirty pages for
        # Redis, a full GC (free heap returned to the OS) for Cinnabar
        "$REDIS_CLI" -p "$port" MEMORY PURGE >/dev/null 2>&1 || true
        m_own="-"
        if [ "$1" = redis ]; then
            um_after="$("$REDIS_CLI" -p "$port" INFO memory | awk -F: '/^used_memory:/ {print $2+0}')"
            m_own=$(( (um_after - um_before) / $3 ))
        elif [ -n "$JCMD" ] && [ -n "$heap_before" ]; then
            heap_after="$(heap_used_kb "$pid")"
            m_own=$(( (heap_after - heap_before) * 1024 / $3 ))
        fi
        sleep 1
        after="$(rss_kb "$pid")"
        m_rss=$(( (after - before) * 1024 / $3 ))
        stop_server "$pid"
    }
    datasets=("strings|$keys|$keys string keys (key:000000123, 16-byte values)")
    if [ "$collections" = yes ]; then
        datasets+=("hash|$elements|one hash of $elements fields (field:000000123 -> 10-byte value)"
            "zset|$elements|one sorted set of $elements members (member:000000123, integer scores)"
            "set|$elements|one set of $elements members (member:000000123)"
            "list|$elements|one list of $elements elements (16 bytes)"
            "smallhashes|$elements|$((elements / 10)) hashes of 10 fields (10-byte values)")
    fi
    for ds in "${datasets[@]}"; do
        IFS='|' read -r kind n what <<<"$ds"
        [ -z "$memory_only" ] || [[ "$memory_only" == *",$kind,"* ]] || continue
        PIPE="$WORK/load-$kind.resp"
        gen_pipe "$kind" "$n" "$PIPE"
        echo "Memory: $what..." >&2
        measure redis "$PIPE" "$n"
        r_own="$m_own"; r_rss="$m_rss"; r_load="$m_load"; r_db="$m_dbsize"
        measure cinnabar "$PIPE" "$n"
        ratio="-"
        [[ "$m_own" =~ ^[0-9]+$ ]] && [ "$r_own" -gt 0 ] && ratio="$(awk -v c="$m_own" -v r="$r_own" 'BEGIN { printf "%.2f", c / r }')"
        memory_rows="$memory_rows| $what | $r_db / $m_dbsize | $r_load / $m_load s | $r_own | $m_own | $ratio | $r_rss | $m_rss |
"
        rm -f "$PIPE"
    done
fi

# ---- report ----
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/$(date +%Y-%m-%d).md"
[ -e "$out" ] && out="$ROOT/bench/results/$(date +%Y-%m-%d-%H%M%S).md"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet 2>/dev/null || commit="$commit (with uncommitted changes)"
{
    echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$quick" = yes ] && echo ' (--quick: short runs, indicative only)'), Cinnabar storage-engine $engine"
    echo
    echo "- Cinnabar: commit $commit, $(java -version 2>&1 | head -n 1), options of bin/cinnabar-server"
    echo "- Redis: $("$REDIS_SERVER" --version | awk '{print $3}' | sed 's/v=//') ($REDIS_SERVER)"
    echo "- Machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -z "$memory_only" ]; then
        echo "- redis-benchmark -t $tests -c 50 -r 100000 -d $data_size; -n $req_p1 at -P 1, -n $req_p16 at -P 16;" \
            "$rounds rounds alternating ABBA; medians; MSET is 10 keys per call (ops/s counts calls);" \
            "Cinnabar warmed up by $warmup pass(es) of the tests at -P 16 and one at -P 1"
        [ -z "$zrange" ] || echo "- ZRANGEBYSCORE: custom command \`ZRANGEBYSCORE myzset __rand_int__ +inf LIMIT 0 10\` on the set ZADD filled"
    fi
    echo
    [ -n "$memory_only" ] || throughput_table
    if [ "$pubsub" = yes ]; then
        echo
        echo "Pub/Sub fan-out: PUBLISH of 16-byte messages on one channel by 4 connections pipelining 16, to 1" \
            "subscriber ($pubsub_msgs_1 messages) and to 50 ($pubsub_msgs_50 messages); messages delivered per" \
            "second until every subscriber read every message, and each server's own CPU time (user + system)" \
            "per million delivered messages; medians of $rounds rounds."
        echo
        pubsub_table
    fi
    if [ "$memory" = yes ]; then
        echo
        echo "Memory: each data set loaded with redis-cli --pipe into a fresh server; bytes per element (key or"
        echo "collection member). Own accounting: Redis's used_memory delta, Cinnabar's heap used after a full GC."
        echo
        echo "| data set | DBSIZE Redis / Cinnabar | load time Redis / Cinnabar | Redis used_memory B/el | Cinnabar heap B/el | Cinnabar/Redis | Redis RSS B/el | Cinnabar RSS B/el |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s' "$memory_rows"
    fi
} | tee "$out"
echo >&2
echo "Written to $out" >&2
