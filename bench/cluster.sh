#!/usr/bin/env bash
# bench/cluster.sh: a 6-node cluster (3 masters, 3 replicas) of Cinnabar against one of redis-server, on this
# machine, in the same run.
#
#   bench/cluster.sh [--rounds N] [--requests N] [--warmup N]
#
# Throughput: redis-benchmark --cluster -t set,get -c 50 -r 100000 against each cluster, alternating which goes
# first (ABBA); medians and the ratio Cinnabar/Redis. Cinnabar's JVMs compile their hot paths during the
# first few hundred thousand requests (six of them share the cores), so the table also shows each cluster's
# first SET run after it started ("cold"), and then warms Cinnabar up with --warmup SET and GET runs before
# the rounds, which measure the steady state. Failover: a master holding keys is killed with SIGKILL
# and the time until a SET to one of its keys succeeds again (redirected by the cluster, i.e. its replica
# promoted) is measured, with cluster-node-timeout 2000 on both. Both clusters are created with unmodified
# `redis-cli --cluster create --cluster-replicas 1`. Writes bench/results/cluster-<date>.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
rounds=3
requests=500000
warmup=3
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        -h|--help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "cluster.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
TIMEOUT_MS=2000

# start_nodes <kind> <first-port>: six nodes, each in $WORK/<kind>-<port>/
start_nodes() {
    local kind="$1" base="$2" i port dir
    for ((i = 0; i < 6; i++)); do
        port=$((base + i))
        dir="$WORK/$kind-$port"
        mkdir -p "$dir"
        if [ "$kind" = redis ]; then
            (cd "$dir" || exit 1; "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
                --cluster-config-file nodes.conf --cluster-node-timeout "$TIMEOUT_MS" --save '' --appendonly no \
                --dir "$dir" >"$dir/log" 2>&1 &
             echo $! >"$dir/pid")
        else
            (cd "$dir" || exit 1; "$CINNABAR" --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
                --cluster-config-file nodes.conf --cluster-node-timeout "$TIMEOUT_MS" --save '' --appendonly no \
                --dir "$dir" >"$dir/log" 2>&1 &
             echo $! >"$dir/pid")
        fi
        pids+=("$(cat "$dir/pid")")
    done
    for ((i = 0; i < 6; i++)); do
        port=$((base + i))
        wait_ping "$port" "$(cat "$WORK/$kind-$port/pid")"
    done
    local addrs=()
    for ((i = 0; i < 6; i++)); do addrs+=("127.0.0.1:$((base + i))"); done
    "$REDIS_CLI" --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/$kind-create.log" 2>&1
    local deadline=$((SECONDS + 60))
    until [ "$("$REDIS_CLI" -p "$base" CLUSTER INFO | tr -d '\r' | awk -F: '$1 == "cluster_state" {print $2}')" = ok ] \
        && "$REDIS_CLI" --cluster check "127.0.0.1:$base" 2>/dev/null | grep -q "All 16384 slots covered"; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "cluster.sh: $kind cluster not ok" >&2; exit 1; }
        sleep 0.2
    done
}

# rps <base> <test>: requests per second of one redis-benchmark --cluster test
rps() {
    "$REDIS_BENCHMARK" -p "$1" --cluster -t "$2" -c 50 -n "$requests" -r 100000 -d 16 --csv 2>/dev/null \
        | awk -F'","' '/^"(SET|GET)"/ {print $2}'
}

# failover_ms <kind> <base>: SIGKILL of a master, milliseconds until a SET to a key of its slots succeeds again
failover_ms() {
    local kind="$1" base="$2" master_port="" i key start now
    for ((i = 0; i < 6; i++)); do
        if "$REDIS_CLI" -p "$((base + i))" CLUSTER NODES | grep -q "myself,master"; then
            master_port=$((base + i)); break
        fi
    done
    # a key served by that master
    for ((i = 0; ; i++)); do
        key="failover:$i"
        if [ "$("$REDIS_CLI" -p "$master_port" SET "$key" v 2>&1)" = OK ]; then break; fi
    done
    local other=$base
    [ "$other" != "$master_port" ] || other=$((base + 1))
    start=$(date +%s%N)
    kill -9 "$(cat "$WORK/$kind-$master_port/pid")"
    while :; do
        if [ "$("$REDIS_CLI" -c -p "$other" SET "$key" w 2>/dev/null)" = OK ]; then break; fi
        now=$(date +%s%N)
        [ $(((now - start) / 1000000)) -lt 60000 ] || { echo 60000; return; }
        sleep 0.02
    done
    now=$(date +%s%N)
    echo $(((now - start) / 1000000))
}

rbase=$(( (RANDOM % 500) * 10 + 12000 ))
cbase=$((rbase + 100))
start_nodes redis "$rbase"
start_nodes cinnabar "$cbase"
echo "Cold runs..." >&2
redis_cold=$(rps "$rbase" set)
cinnabar_cold=$(rps "$cbase" set)
echo "Warming up Cinnabar..." >&2
for ((k = 0; k < warmup; k++)); do rps "$cbase" set >/dev/null; rps "$cbase" get >/dev/null; done
declare -A r
for ((k = 1; k <= rounds; k++)); do
    if ((k % 2 == 1)); then order="redis cinnabar"; else order="cinnabar redis"; fi
    echo "Round $k/$rounds ($order)..." >&2
    for s in $order; do
        if [ "$s" = redis ]; then b=$rbase; else b=$cbase; fi
        for t in set get; do r[$s,$t]="${r[$s,$t]:-} $(rps "$b" "$t")"; done
    done
done
redis_failover=$(failover_ms redis "$rbase")
cinnabar_failover=$(failover_ms cinnabar "$cbase")

out="$ROOT/bench/results/cluster-$(date +%Y-%m-%d-%H%M%S).md"
{
    echo "# Cluster benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) cores, $(uname -sr), load average before: $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "6 nodes each (3 masters + 3 replicas, redis-cli --cluster create), all on this machine;"
    echo "redis-benchmark --cluster -c 50 -r 100000 -d 16 -n $requests, medians of $rounds ABBA rounds after"
    echo "$warmup warm-up runs of SET and GET on Cinnabar (JIT); the cold row is each cluster's first SET run."
    echo
    echo "| test | redis-server | Cinnabar | Cinnabar/Redis |"
    echo "|---|---:|---:|---:|"
    for t in set get; do
        # shellcheck disable=SC2086
        rr="$(median ${r[redis,$t]})"; cr="$(median ${r[cinnabar,$t]})"
        printf '| %s (ops/s) | %.0f | %.0f | %.2f |\n' "${t^^}" "$rr" "$cr" "$(awk -v a="$cr" -v b="$rr" 'BEGIN {print a / b}')"
    done
    printf '| SET, cold: first run after start (ops/s) | %.0f | %.0f | %.2f |\n' "$redis_cold" "$cinnabar_cold" \
        "$(awk -v a="$cinnabar_cold" -v b="$redis_cold" 'BEGIN {print a / b}')"
    printf '| failover, SIGKILL of a master to the next successful SET (ms, cluster-node-timeout %s) | %s | %s | %.2f |\n' \
        "$TIMEOUT_MS" "$redis_failover" "$cinnabar_failover" "$(awk -v a="$redis_failover" -v b="$cinnabar_failover" 'BEGIN {print a / b}')"
} >"$out"
cat "$out"
