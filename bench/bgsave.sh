#!/usr/bin/env bash
# bench/bgsave.sh: a writer's latency while BGSAVE runs, Cinnabar (forkless snapshot) against redis-server
# (fork), on this machine in the same run.
#
#   bench/bgsave.sh [--rounds N] [--saves N]
#
# Each server gets 1M keys (DEBUG POPULATE 1000000 key 16); bench/bgsave/BgsaveLatency.java then does SET on
# random existing keys from one connection, one request at a time: 50000 without a save, then while each of
# --saves BGSAVEs runs (the first one is Cinnabar's cold one: the JIT has not compiled the snapshot path yet).
# Rounds alternate which server goes first; the table shows medians of p50/p99/p99.9 (microseconds), the p99
# during a save over the p99 without one (the issue's target is at most 2), and the save's duration.
# Writes bench/results/bgsave-<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=3
saves=2
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --saves) saves="$2"; shift 2 ;;
        -h|--help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bgsave.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
PROBE="$ROOT/bench/bgsave/BgsaveLatency.java"

RAW="$WORK/bgsave.txt"  # server phase p50 p99 p999 max ops save_ms
: >"$RAW"
run_once() {  # run_once <kind>
    local port pid
    port="$(free_port)"
    start_server "$1" "$port" "$WORK/$1-bgsave.log" --enable-debug-command yes
    pid="$started_pid"
    "$REDIS_CLI" -p "$port" DEBUG POPULATE 1000000 key 16 >/dev/null
    java -Xmx1g "$PROBE" "$port" "$saves" | awk -v s="$1" '{n = ($1 == "save") ? "save" ++i : $1; print s, n, $2, $3, $4, $5, $6, $7}' >>"$RAW"
    stop_server "$pid"
}
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2 == 1)); then order="redis cinnabar"; else order="cinnabar redis"; fi
    echo "Round $r/$rounds ($order)..." >&2
    for s in $order; do run_once "$s"; done
done

col() {  # col <server> <phase> <field 3..8>: the median over rounds
    # shellcheck disable=SC2046
    median $(awk -v s="$1" -v p="$2" -v f="$3" '$1 == s && $2 == p {print $f}' "$RAW")
}
out="$ROOT/bench/results/bgsave-$(date +%Y-%m-%d-%H%M%S).md"
{
    echo "# BGSAVE latency benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "redis-server $("$REDIS_SERVER" --version | sed 's/.*v=\([^ ]*\).*/\1/'), Cinnabar $(basename "$(dirname "$(dirname "$CINNABAR")")");"
    echo "1M keys, one writer doing SET one request at a time; medians of $rounds rounds (ABBA order); latencies in us."
    echo
    echo "| server | phase | p50 | p99 | p99.9 | max | SETs | save ms | p99 / quiet p99 |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for s in redis cinnabar; do
        q="$(col "$s" quiet 4)"
        for ((i = 0; i <= saves; i++)); do
            if ((i == 0)); then p=quiet; else p="save$i"; fi
            printf '| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |\n' "$s" "$p" "$(col "$s" "$p" 3)" \
                "$(col "$s" "$p" 4)" "$(col "$s" "$p" 5)" "$(col "$s" "$p" 6)" "$(col "$s" "$p" 7)" "$(col "$s" "$p" 8)" \
                "$(awk -v a="$(col "$s" "$p" 4)" -v b="$q" 'BEGIN {print a / b}')"
        done
    done
} >"$out"
cat "$out"
