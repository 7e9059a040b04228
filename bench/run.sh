#!/usr/bin/env bash
# bench/run.sh: Cinnabar against the reference redis-server on this machine, in the same run.
#
#   bench/run.sh [--rounds N] [--quick] [--requests N] [--data-size BYTES] [--keys N] [--no-memory] [--no-pubsub]
#
# Needs the built tarball (mvn -B -q package -DskipTests) and redis-server, redis-benchmark, redis-cli:
# $CINNABAR_REFERENCE_REDIS (a redis-server binary), else shared/redis-7.2/ found from the repository upwards
# (as the test kit's ReferenceRedis looks), else the PATH; redis-benchmark and redis-cli from the server's
# folder, else the PATH.
#
# Throughput: SET, GET, INCR, MSET with redis-benchmark -c 50 -r 100000, at -P 1 and -P 16, against each
# server in turn, alternating which goes first (ABBA) over N rounds so drift and noise from other work on
# the machine fall on both; the table shows medians. Cinnabar is warmed up first (the JIT compiles the hot
# path in the first seconds).
# Pub/Sub: PUBLISH fan-out to 1 and to 50 subscribers (bench/pubsub/PubSubBench.java, run as a single-file
# Java program): messages delivered per second, from the first PUBLISH until every subscriber read every
# message; same ABBA rounds and medians.
# Memory: N string keys (key:000000123, 16-byte values) loaded with redis-cli --pipe into a fresh instance
# of each server; bytes per key from the VmRSS delta (/proc/<pid>/status), plus Redis's used_memory delta and
# Cinnabar's heap used after a full GC (jcmd), which is the layout's own cost without free heap.
#
# Writes bench/results/<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=5
quick=no
rounds_set=""
requests=""
data_size=16
keys=1000000
memory=yes
pubsub=yes

usage() {
    sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; rounds_set=yes; shift 2 ;;
        --quick) quick=yes; shift ;;
        --requests) requests="$2"; shift 2 ;;
        --data-size) data_size="$2"; shift 2 ;;
        --keys) keys="$2"; shift 2 ;;
        --no-memory) memory=no; shift ;;
        --no-pubsub) pubsub=no; shift ;;
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
else
    req_p1="${requests:-100000}"
    req_p16="${requests:-1000000}"
    pubsub_msgs_1=500000
    pubsub_msgs_50=100000
fi

# ---- tools ----
find_reference() {
    if [ -n "${CINNABAR_REFERENCE_REDIS:-}" ] && [ -x "$CINNABAR_REFERENCE_REDIS" ]; then
        echo "$CINNABAR_REFERENCE_REDIS"; return
    fi
    local d="$ROOT"
    while [ -n "$d" ]; do
        if [ -x "$d/shared/redis-7.2/redis-server" ]; then echo "$d/shared/redis-7.2/redis-server"; return; fi
        if [ -x "$(dirname "$d")/shared/redis-7.2/redis-server" ]; then
            echo "$(dirname "$d")/shared/redis-7.2/redis-server"; return
        fi
        [ "$d" = / ] && break
        d="$(dirname "$d")"
    done
    command -v redis-server || true
}
sibling_or_path() {  # sibling_or_path <server-binary> <tool>
    if [ -x "$(dirname "$1")/$2" ]; then echo "$(dirname "$1")/$2"; else command -v "$2" || true; fi
}
REDIS_SERVER="$(find_reference)"
[ -n "$REDIS_SERVER" ] || { echo "run.sh: no redis-server (set CINNABAR_REFERENCE_REDIS)" >&2; exit 1; }
REDIS_BENCHMARK="$(sibling_or_path "$REDIS_SERVER" redis-benchmark)"
REDIS_CLI="$(sibling_or_path "$REDIS_SERVER" redis-cli)"
[ -n "$REDIS_BENCHMARK" ] || { echo "run.sh: no redis-benchmark" >&2; exit 1; }
[ -n "$REDIS_CLI" ] || { echo "run.sh: no redis-cli" >&2; exit 1; }

TARBALL="$ROOT/distribution/target/cinnabar-0.1.0.tar.gz"
[ -f "$TARBALL" ] || { echo "run.sh: $TARBALL not found; build it: mvn -B -q package -DskipTests" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinnabar-bench.XXXXXX")"
tar xzf "$TARBALL" -C "$WORK"
CINNABAR="$WORK/cinnabar-0.1.0/bin/cinnabar-server"

# ---- servers (stopped by pid on exit) ----
pids=()
cleanup() {
    local p
    for p in "${pids[@]+"${pids[@]}"}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]+"${pids[@]}"}"; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
}
wait_ping() {  # wait_ping <port> <pid>
    local deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ "$("$REDIS_CLI" -p "$1" PING 2>/dev/null)" = PONG ]; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "run.sh: server on port $1 exited" >&2; return 1; }
        sleep 0.05
    done
    echo "run.sh: no PONG on port $1 within 30 s" >&2
    return 1
}
# start_server <redis|cinnabar> <port> <log>: sets $started_pid
start_server() {
    case "$1" in
        redis) "$REDIS_SERVER" --port "$2" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
                   --daemonize no >"$3" 2>&1 & ;;
        cinnabar) "$CINNABAR" --port "$2" --bind 127.0.0.1 --save '' --appendonly no >"$3" 2>&1 & ;;
    esac
    started_pid=$!
    pids+=("$started_pid")
    wait_ping "$2" "$started_pid"
}
stop_server() {  # stop_server <pid>
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local keep=() p
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# ---- throughput ----
RAW="$WORK/raw.csv"   # server,pipeline,test,rps,p50,p99
: >"$RAW"
bench_once() {  # bench_once <server-name> <port> <pipeline> <requests>
    "$REDIS_BENCHMARK" -p "$2" -t "$tests" -c 50 -n "$4" -r 100000 -d "$data_size" -P "$3" --csv \
        2>/dev/null | awk -F'","' -v s="$1" -v p="$3" 'NR > 1 {
            gsub(/"/, "", $1); gsub(/"/, "", $NF); sub(/ \(10 keys\)/, "", $1)
            print s "," p "," $1 "," $2 "," $5 "," $7 }' >>"$RAW" || true
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
for cmd in "SET bench:probe 1" "GET bench:probe" "INCR bench:probe" "MSET bench:a 1 bench:b 2"; do
    name="${cmd%% *}"
    # shellcheck disable=SC2086
    out="$("$REDIS_CLI" -p "$cinnabar_port" $cmd 2>&1 || true)"
    case "$out" in
        ERR*|*"unknown command"*) missing="$missing $name" ;;
        *) tests="${tests:+$tests,}${name,,}" ;;
    esac
done
[ -z "$missing" ] || echo "run.sh: WARNING: Cinnabar does not serve:$missing; left out of the benchmark" >&2
[ -n "$tests" ] || { echo "run.sh: Cinnabar serves none of SET/GET/INCR/MSET yet" >&2; exit 1; }

echo "Warming up Cinnabar..." >&2
"$REDIS_BENCHMARK" -p "$cinnabar_port" -t "$tests" -c 50 -n "$req_p16" -r 100000 -d "$data_size" -P 16 -q \
    >/dev/null 2>&1 || true
"$REDIS_BENCHMARK" -p "$cinnabar_port" -t "$tests" -c 50 -n "$req_p1" -r 100000 -d "$data_size" -P 1 -q \
    >/dev/null 2>&1 || true

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

stop_server "$cinnabar_pid"
stop_server "$redis_pid"

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
    PIPE="$WORK/load.resp"
    awk -v n="$keys" 'BEGIN {
        for (i = 0; i < n; i++) {
            k = sprintf("key:%09d", i); v = sprintf("val:%012d", i)
            printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
        } }' >"$PIPE"
    JCMD=""
    java_bin="$(readlink -f "$(command -v java)" 2>/dev/null || true)"
    [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jcmd" ] && JCMD="$JAVA_HOME/bin/jcmd"
    [ -z "$JCMD" ] && [ -n "$java_bin" ] && [ -x "$(dirname "$java_bin")/jcmd" ] && JCMD="$(dirname "$java_bin")/jcmd"
    heap_used_kb() {  # full GC, then the heap's used KB
        "$JCMD" "$1" GC.run >/dev/null 2>&1
        "$JCMD" "$1" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
    }
    for s in redis cinnabar; do
        echo "Memory: $keys keys into a fresh $s..." >&2
        port="$(free_port)"
        start_server "$s" "$port" "$WORK/$s-mem.log"
        pid="$started_pid"
        before="$(rss_kb "$pid")"
        um_before=""; heap_before=""
        if [ "$s" = redis ]; then
            um_before="$("$REDIS_CLI" -p "$port" INFO memory | awk -F: '/^used_memory:/ {print $2+0}')"
        elif [ -n "$JCMD" ]; then
            heap_before="$(heap_used_kb "$pid")"
            before="$(rss_kb "$pid")"
        fi
        start_load="$(date +%s%N)"
        "$REDIS_CLI" -p "$port" --pipe <"$PIPE" >"$WORK/$s-pipe.log" 2>&1 || true
        load_s="$(awk -v a="$start_load" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
        dbsize="$("$REDIS_CLI" -p "$port" DBSIZE 2>/dev/null || true)"
        [[ "$dbsize" =~ ^[0-9]+$ ]] || dbsize="? (no DBSIZE)"
        # both servers give back what they no longer use before RSS is read: jemalloc's dirty pages for
        # Redis, a full GC (free heap returned to the OS) for Cinnabar
        "$REDIS_CLI" -p "$port" MEMORY PURGE >/dev/null 2>&1 || true
        sleep 1
        after="$(rss_kb "$pid")"
        rss_per_key=$(( (after - before) * 1024 / keys ))
        extra="-"
        if [ "$s" = redis ]; then
            um_after="$("$REDIS_CLI" -p "$port" INFO memory | awk -F: '/^used_memory:/ {print $2+0}')"
            extra="used_memory $(( (um_after - um_before) / keys )) B/key"
        elif [ -n "$JCMD" ] && [ -n "$heap_before" ]; then
            heap_after="$(heap_used_kb "$pid")"
            extra="heap after full GC $(( (heap_after - heap_before) * 1024 / keys )) B/key"
        fi
        memory_rows="$memory_rows| $s | $dbsize | ${load_s} s | $((before / 1024)) MB | $((after / 1024)) MB | $rss_per_key | $extra |
"
        stop_server "$pid"
    done
fi

# ---- report ----
mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/$(date +%Y-%m-%d).md"
[ -e "$out" ] && out="$ROOT/bench/results/$(date +%Y-%m-%d-%H%M%S).md"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet 2>/dev/null || commit="$commit (with uncommitted changes)"
{
    echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$quick" = yes ] && echo ' (--quick: short runs, indicative only)')"
    echo
    echo "- Cinnabar: commit $commit, $(java -version 2>&1 | head -n 1), options of bin/cinnabar-server"
    echo "- Redis: $("$REDIS_SERVER" --version | awk '{print $3}' | sed 's/v=//') ($REDIS_SERVER)"
    echo "- Machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- redis-benchmark -t $tests -c 50 -r 100000 -d $data_size; -n $req_p1 at -P 1, -n $req_p16 at -P 16;" \
        "$rounds rounds alternating ABBA; medians; MSET is 10 keys per call (ops/s counts calls)"
    echo
    throughput_table
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
        echo "Memory: $keys keys (key:000000123, 16-byte values) loaded with redis-cli --pipe into fresh servers."
        echo
        echo "| server | DBSIZE | load time | RSS before | RSS after | RSS delta B/key | own accounting |"
        echo "|---|---:|---:|---:|---:|---:|---|"
        printf '%s' "$memory_rows"
    fi
} | tee "$out"
echo >&2
echo "Written to $out" >&2
