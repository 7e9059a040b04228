#!/usr/bin/env bash
# bench/cpu.sh: server CPU time per request, Cinnabar against the reference redis-server in the same run.
#
#   bench/cpu.sh [--rounds N] [--tests sadd,hset,zadd,zrangebyscore] [--baseline TARBALL]
#
# Throughput on a shared 2-core machine moves with whatever else runs; the CPU time a server spends per request
# moves much less. For each test (redis-benchmark -c 50 -r 100000, pipeline 16 and 1; zrangebyscore is
# "ZRANGEBYSCORE myzset <random> +inf LIMIT 0 10" over the set ZADD filled) it reads utime and stime of each
# server from /proc/<pid>/stat around the run and divides by the requests, over N rounds whose order rotates;
# the table shows medians in ns per request, total and system. Every server is filled and warmed up first.
# The client column is redis-benchmark's own CPU time over its run time: near 100% the run was bound by the
# single-threaded client, not by the server, and the servers' ops/s can only be equal (bench/run.sh's -P 1 rows).
# --baseline adds a second Cinnabar from another tarball (e.g. built from main), to compare a change with
# what it changes in one run. Writes bench/results/cpu-<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=5
tests=sadd,hset,zadd,zrangebyscore
baseline=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --tests) tests="$2"; shift 2 ;;
        --baseline) baseline="$2"; shift 2 ;;
        -h|--help) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "cpu.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
IFS=, read -r -a test_list <<<"$tests"

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

names=(redis cinnabar)
ports=("$(free_port)")
start_server redis "${ports[0]}" "$WORK/redis.log"
srv_pids=("$started_pid")
ports+=("$(free_port)")
start_server cinnabar "${ports[1]}" "$WORK/cinnabar.log"
srv_pids+=("$started_pid")
if [ -n "$baseline" ]; then
    mkdir -p "$WORK/baseline"
    tar xzf "$baseline" -C "$WORK/baseline"
    CINNABAR="$(echo "$WORK"/baseline/*/bin/cinnabar-server)"
    names+=(baseline)
    ports+=("$(free_port)")
    start_server cinnabar "${ports[2]}" "$WORK/baseline.log"
    srv_pids+=("$started_pid")
fi

bench_one() {  # bench_one <port> <test> <pipeline> <requests>
    if [ "$2" = zrangebyscore ]; then
        "$REDIS_BENCHMARK" -p "$1" -c 50 -n "$4" -r 100000 -P "$3" -q \
            ZRANGEBYSCORE myzset __rand_int__ +inf LIMIT 0 10 >/dev/null 2>&1 || true
    else
        "$REDIS_BENCHMARK" -p "$1" -t "$2" -c 50 -n "$4" -r 100000 -d 16 -P "$3" -q >/dev/null 2>&1 || true
    fi
}
echo "Filling and warming up..." >&2
for p in "${ports[@]}"; do
    for t in sadd hset zadd; do bench_one "$p" "$t" 16 1000000; done
    for t in "${test_list[@]}"; do bench_one "$p" "$t" 16 1000000; bench_one "$p" "$t" 1 100000; done
done

CLK_TCK="$(getconf CLK_TCK)"
RAW="$WORK/cpu.csv"   # server,test,pipeline,total_ns,system_ns,client_cpu_percent
: >"$RAW"
TIMEFORMAT='%U %S %R'   # bash's time: the client's user and system seconds, and the run's wall-clock seconds
n_servers=${#ports[@]}
for ((r = 0; r < rounds; r++)); do
    echo "Round $((r + 1))/$rounds..." >&2
    for t in "${test_list[@]}"; do
        for p in 16 1; do
            if [ "$p" = 16 ]; then n=1000000; else n=200000; fi
            for ((j = 0; j < n_servers; j++)); do
                s=$(( (j + r) % n_servers ))
                read -r u0 s0 < <(awk '{print $14, $15}' "/proc/${srv_pids[$s]}/stat")
                client="$( { time bench_one "${ports[$s]}" "$t" "$p" "$n"; } 2>&1 \
                    | awk '{ printf "%.0f", ($3 > 0 ? 100 * ($1 + $2) / $3 : 0) }')"
                read -r u1 s1 < <(awk '{print $14, $15}' "/proc/${srv_pids[$s]}/stat")
                echo "${names[$s]},$t,$p,$(( (u1 - u0 + s1 - s0) * 1000000000 / CLK_TCK / n )),$(( (s1 - s0) * 1000000000 / CLK_TCK / n )),$client" >>"$RAW"
            done
        done
    done
done

OUT="$ROOT/bench/results/cpu-$(date -u '+%Y-%m-%d-%H%M%S').md"
{
    echo "# Server CPU per request $(date -u '+%Y-%m-%d %H:%M') UTC, $rounds rounds, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    printf '| test | -P | Redis ns (sys) |'
    for ((s = 1; s < n_servers; s++)); do printf ' %s ns (sys) | %s/Redis |' "${names[$s]}" "${names[$s]}"; done
    echo ' client CPU % (Redis / others) |'
    printf '|---|---:|---:|'
    for ((s = 1; s < n_servers; s++)); do printf -- '---:|---:|'; done
    echo '---:|'
    awk -F, -v names="${names[*]}" '
        function median(list,   n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        { k = $2 "|" $3; tot[$1, k] = tot[$1, k] " " $4; sys[$1, k] = sys[$1, k] " " $5; cl[$1, k] = cl[$1, k] " " $6
          if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
        END {
            ns = split(names, nm, " ")
            for (i = 1; i <= nk; i++) {
                k = order[i]; split(k, kp, "|"); r = median(tot["redis", k])
                printf "| %s | %s | %.0f (%.0f) |", toupper(kp[1]), kp[2], r, median(sys["redis", k])
                for (s = 2; s <= ns; s++) {
                    c = median(tot[nm[s], k])
                    printf " %.0f (%.0f) | %.2f |", c, median(sys[nm[s], k]), (r > 0 ? c / r : 0)
                }
                printf " %.0f", median(cl["redis", k])
                for (s = 2; s <= ns; s++) printf " / %.0f", median(cl[nm[s], k])
                print " |"
            }
        }' "$RAW"
} | tee "$OUT"
echo "Written to $OUT" >&2
