#!/usr/bin/env bash
# bench/replication.sh: replication cost, Cinnabar against redis-server on this machine, in the same run.
#
#   bench/replication.sh [--rounds N] [--requests N] [--keys N] [--sync-runs N]
#
# SET throughput (redis-benchmark -t set -c 50 -P 16 -r 100000) on a master with 0, 1 and 2 replicas of the
# same kind attached (each replica a real process on this machine), and the time a fresh replica takes for a
# full sync of N keys (DEBUG POPULATE N on the master, REPLICAOF on the replica, until master_link_status:up
# and the same DBSIZE; --sync-runs of them per round, default 3: a single sync of two fresh processes varies by
# 20% here), once with the replica's repl-diskless-load disabled (the payload to a file, then loaded) and once
# with swapdb (decoded as it arrives). Rounds alternate which server goes first; the table shows medians and ratios
# (Cinnabar / Redis for throughput, Redis / Cinnabar for sync time: above 1.0 means Cinnabar is better).
# Writes bench/results/replication-<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=3
requests=1000000
keys=1000000
sync_runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --keys) keys="$2"; shift 2 ;;
        --sync-runs) sync_runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "replication.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# set_rps <kind> <replicas>: SET requests per second on a fresh master with that many replicas attached
set_rps() {
    local kind="$1" n="$2" mport mpid i rport rps
    mport="$(free_port)"
    start_server "$kind" "$mport" "$WORK/$kind-master.log" --enable-debug-command yes --repl-diskless-sync-delay 0
    mpid="$started_pid"
    local rpids=() rports=()
    for ((i = 0; i < n; i++)); do
        rport="$(free_port)"
        start_server "$kind" "$rport" "$WORK/$kind-replica-$i.log"
        rpids+=("$started_pid")
        rports+=("$rport")
        "$REDIS_CLI" -p "$rport" REPLICAOF 127.0.0.1 "$mport" >/dev/null
    done
    # attached means synced: a replica counts in connected_slaves from its PSYNC on, while the master may
    # still wait repl-diskless-sync-delay or be sending the snapshot; measure the steady state after that
    local deadline=$((SECONDS + 60)) port synced
    while [ "$SECONDS" -lt "$deadline" ]; do
        synced=0
        for port in "${rports[@]+"${rports[@]}"}"; do
            [ "$(info_field "$port" master_link_status)" = up ] && synced=$((synced + 1))
        done
        [ "$synced" = "$n" ] && [ "$(info_field "$mport" connected_slaves)" = "$n" ] && break
        sleep 0.1
    done
    # warm-up, then the measured run: a fresh JVM reaches its steady state after about 3 runs of 1M SETs (the
    # JIT compiles the hot path, then once more when the next runs take paths the first had not)
    for i in 1 2 3 4; do
        "$REDIS_BENCHMARK" -p "$mport" -t set -c 50 -n "$requests" -r 100000 -P 16 -q >/dev/null 2>&1 || true
    done
    rps="$("$REDIS_BENCHMARK" -p "$mport" -t set -c 50 -n "$requests" -r 100000 -P 16 --csv 2>/dev/null \
        | awk -F'","' 'NR == 2 {print $2}')"
    for i in "${rpids[@]+"${rpids[@]}"}"; do stop_server "$i"; done
    stop_server "$mpid"
    echo "${rps:-0}"
}

# sync_ms <kind> <load>: milliseconds for a fresh replica with repl-diskless-load <load> to fully sync $keys keys
sync_ms() {
    local kind="$1" load="$2" mport mpid rport rpid start end
    mport="$(free_port)"
    # both wait repl-diskless-sync-delay (5 s) for more replicas before a diskless sync: not here
    start_server "$kind" "$mport" "$WORK/$kind-sync-master.log" --enable-debug-command yes --repl-diskless-sync-delay 0
    mpid="$started_pid"
    "$REDIS_CLI" -p "$mport" DEBUG POPULATE "$keys" >/dev/null
    rport="$(free_port)"
    start_server "$kind" "$rport" "$WORK/$kind-sync-replica.log" --repl-diskless-load "$load"
    rpid="$started_pid"
    start=$(date +%s%N)
    "$REDIS_CLI" -p "$rport" REPLICAOF 127.0.0.1 "$mport" >/dev/null
    local deadline=$((SECONDS + 300))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ "$(info_field "$rport" master_link_status)" = up ] \
            && [ "$("$REDIS_CLI" -p "$rport" DBSIZE)" = "$keys" ]; then break; fi
        sleep 0.02
    done
    end=$(date +%s%N)
    stop_server "$rpid"
    stop_server "$mpid"
    echo $(((end - start) / 1000000))
}

declare -A results
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2 == 1)); then order="redis cinnabar"; else order="cinnabar redis"; fi
    echo "Round $r/$rounds ($order)..." >&2
    for s in $order; do
        for n in 0 1 2; do results[$s,set,$n]="${results[$s,set,$n]:-} $(set_rps "$s" "$n")"; done
        for load in disabled swapdb; do
            for ((k = 0; k < sync_runs; k++)); do
                results[$s,sync,$load]="${results[$s,sync,$load]:-} $(sync_ms "$s" "$load")"
            done
        done
    done
done

out="$ROOT/bench/results/replication-$(date +%Y-%m-%d-%H%M%S).md"
{
    echo "# Replication benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr);"
    echo "redis-server $("$REDIS_SERVER" --version | sed 's/.*v=\([^ ]*\).*/\1/'), Cinnabar $(basename "$(dirname "$(dirname "$CINNABAR")")");"
    echo "medians of $rounds rounds (ABBA order), every server and replica a process on this machine;"
    echo "each SET figure is the run after 4 warm-up runs of the same size on the same master (both servers);"
    echo "the full sync is the median of $sync_runs syncs per round (each of a fresh master and a fresh replica)."
    echo
    for load in disabled swapdb; do
        echo "Full syncs (ms) with repl-diskless-load $load, redis-server:$(printf ' %s' ${results[redis,sync,$load]});" \
            "Cinnabar:$(printf ' %s' ${results[cinnabar,sync,$load]})"
        echo
    done
    echo
    echo "| test | redis-server | Cinnabar | ratio |"
    echo "|---|---|---|---|"
    for n in 0 1 2; do
        # shellcheck disable=SC2086
        rr="$(median ${results[redis,set,$n]})"; cr="$(median ${results[cinnabar,set,$n]})"
        printf '| SET -P 16, %s replica(s) (ops/s) | %.0f | %.0f | %.2f |\n' "$n" "$rr" "$cr" "$(awk -v a="$cr" -v b="$rr" 'BEGIN {print a / b}')"
    done
    for load in disabled swapdb; do
        # shellcheck disable=SC2086
        rs="$(median ${results[redis,sync,$load]})"; cs="$(median ${results[cinnabar,sync,$load]})"
        printf '| full sync of %s keys, repl-diskless-load %s (ms) | %.0f | %.0f | %.2f |\n' "$keys" "$load" "$rs" "$cs" \
            "$(awk -v a="$rs" -v b="$cs" 'BEGIN {print a / b}')"
    done
} >"$out"
cat "$out"
