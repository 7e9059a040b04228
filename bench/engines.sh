#!/usr/bin/env bash
# bench/engines.sh: Cinnabar's storage engines (heap, mapped) against the reference redis-server: bytes per key,
# restart time to the first served request, and what a kill -9 leaves.
#
#   bench/engines.sh [--keys N]
#
# Needs the built tarball (mvn -B -q package -DskipTests) and redis-server/redis-cli/redis-benchmark (found as
# bench/run.sh finds them). For each server: a fresh instance, N string keys (key:000000123, 16-byte values)
# loaded with redis-cli --pipe; bytes per key from the VmRSS delta (for mapped, file-backed pages of the maps
# count in RSS too) and, for mapped, the disk blocks of its files (du). Then a restart on the same dir, timed from
# the exec to the first GET that returns the value: redis-server and Cinnabar heap after SAVE (RDB load), mapped
# after SHUTDOWN (warm restart from the maps). Last, mapped under writes (redis-benchmark SET) is killed with
# SIGKILL and restarted: the time to the first GET and the keys found.
#
# Writes bench/results/<date>-engines.md and prints it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
keys=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --keys) keys="$2"; shift 2 ;;
        -h|--help) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "engines.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

REDIS_SERVER="${CINNABAR_REFERENCE_REDIS:-}"
if [ -z "$REDIS_SERVER" ]; then
    d="$ROOT"
    while [ "$d" != / ]; do
        [ -x "$d/shared/redis-7.2/redis-server" ] && REDIS_SERVER="$d/shared/redis-7.2/redis-server" && break
        [ -x "$(dirname "$d")/shared/redis-7.2/redis-server" ] && REDIS_SERVER="$(dirname "$d")/shared/redis-7.2/redis-server" && break
        d="$(dirname "$d")"
    done
fi
[ -n "$REDIS_SERVER" ] || REDIS_SERVER="$(command -v redis-server)"
BIN="$(dirname "$REDIS_SERVER")"
REDIS_CLI="$BIN/redis-cli"; [ -x "$REDIS_CLI" ] || REDIS_CLI="$(command -v redis-cli)"
REDIS_BENCH="$BIN/redis-benchmark"; [ -x "$REDIS_BENCH" ] || REDIS_BENCH="$(command -v redis-benchmark)"

WORK="$(mktemp -d /tmp/cinnabar-engines.XXXXXX)"
pids=()
cleanup() {
    for p in "${pids[@]+"${pids[@]}"}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
tar xzf "$ROOT/distribution/target/cinnabar-0.1.0.tar.gz" -C "$WORK"
CINNABAR="$WORK/cinnabar-0.1.0/bin/cinnabar-server"
PORT=$((20000 + RANDOM % 20000))

now_ns() { date +%s%N; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
start() {  # start <kind> <dir>: sets pid
    case "$1" in
        redis) "$REDIS_SERVER" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" >"$2/log" 2>&1 & ;;
        heap|mapped) "$CINNABAR" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$2" \
                --storage-engine "$1" --mapped-max-keys "$keys" >>"$2/log" 2>&1 & ;;
    esac
    pid=$!
    pids+=("$pid")
}
await_value() {  # await_value <key> <value>: polls GET until it answers the value (not -LOADING, not refused)
    local deadline=$(( $(date +%s) + 600 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        [ "$("$REDIS_CLI" -p "$PORT" GET "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.01
    done
    echo "engines.sh: no value for $1" >&2; return 1
}
await_ping() {
    local deadline=$(( $(date +%s) + 60 ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        "$REDIS_CLI" -p "$PORT" PING 2>/dev/null | grep -q PONG && return 0
        sleep 0.02
    done
    return 1
}
await_exit() { while kill -0 "$1" 2>/dev/null; do sleep 0.02; done; wait "$1" 2>/dev/null || true; }

PIPE="$WORK/strings.resp"
awk -v n="$keys" 'BEGIN { for (i = 0; i < n; i++) { k = sprintf("key:%09d", i); v = sprintf("val:%012d", i);
    printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v } }' >"$PIPE"
probe_key="key:$(printf %09d $((keys / 2)))"
probe_val="val:$(printf %012d $((keys / 2)))"

rows=()
for kind in redis heap mapped; do
    dir="$WORK/$kind"; mkdir -p "$dir"
    start "$kind" "$dir"; await_ping
    before="$(rss_kb "$pid")"
    t0="$(now_ns)"
    "$REDIS_CLI" -p "$PORT" --pipe <"$PIPE" >/dev/null
    load_s="$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
    "$REDIS_CLI" -p "$PORT" MEMORY PURGE >/dev/null 2>&1 || true
    after="$(rss_kb "$pid")"
    rss_b="$(awk -v a="$before" -v b="$after" -v n="$keys" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')"
    files="-"
    if [ "$kind" = mapped ]; then
        files="$(du -sk "$dir/mapped" | awk -v n="$keys" '{ printf "%.0f", $1 * 1024 / n }')"
    fi
    if [ "$kind" != mapped ]; then
        "$REDIS_CLI" -p "$PORT" SAVE >/dev/null
    fi
    "$REDIS_CLI" -p "$PORT" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
    await_exit "$pid"
    t0="$(now_ns)"
    start "$kind" "$dir"
    await_value "$probe_key" "$probe_val"
    restart_s="$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
    dbsize="$("$REDIS_CLI" -p "$PORT" DBSIZE)"
    rows+=("| $kind | $load_s | $rss_b | $files | $restart_s | $dbsize |")
    if [ "$kind" = mapped ]; then
        # kill -9 while 50 clients write: the maps are reopened with recoverPersistedTo
        "$REDIS_BENCH" -p "$PORT" -t set -r "$keys" -n 100000000 -d 16 -c 50 -q >/dev/null 2>&1 &
        bench_pid=$!
        sleep 3
        kill -9 "$pid"; await_exit "$pid"; kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true
        t0="$(now_ns)"
        start mapped "$dir"
        await_value "$probe_key" "$probe_val"
        crash_s="$(awk -v a="$t0" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
        crash_keys="$("$REDIS_CLI" -p "$PORT" DBSIZE)"
        recovered="$(grep -c "recovery of" "$dir/log" || true)"
        engine_log="$(grep -o "mapped engine: .*" "$dir/log" | cut -c1-200 || true)"
    fi
    "$REDIS_CLI" -p "$PORT" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
    await_exit "$pid"
done

out="$ROOT/bench/results/$(date +%Y-%m-%d-%H%M%S)-engines.md"
{
    echo "# Storage engines $(date -u '+%Y-%m-%d %H:%M UTC'), $keys string keys (16-byte values)"
    echo
    echo "| server | load s (redis-cli --pipe) | RSS delta B/key | map files on disk B/key | restart to first GET s | keys after restart |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Restart: redis and heap load the RDB written by SAVE; mapped rebuilds its index from the maps (clean SHUTDOWN)."
    echo "kill -9 of mapped under redis-benchmark SET (50 clients, keys in the same key space): restart to first GET"
    echo "${crash_s}s, ${crash_keys} keys found, recovery messages in the log: ${recovered}."
    echo
    echo "The mapped server's log lines:"
    echo
    echo '```'
    echo "$engine_log"
    echo '```'
} >"$out"
cat "$out"
