# bench/lib.sh: what the benchmark scripts share (sourced, not run): finding redis-server and its tools,
# unpacking the Cinnabar tarball, starting and stopping servers by pid, free ports, RSS.
# Sets REDIS_SERVER, REDIS_BENCHMARK, REDIS_CLI, WORK, CINNABAR; the caller sets ROOT first.

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
[ -n "$REDIS_SERVER" ] || { echo "bench: no redis-server (set CINNABAR_REFERENCE_REDIS)" >&2; exit 1; }
REDIS_BENCHMARK="$(sibling_or_path "$REDIS_SERVER" redis-benchmark)"
REDIS_CLI="$(sibling_or_path "$REDIS_SERVER" redis-cli)"
[ -n "$REDIS_BENCHMARK" ] || { echo "bench: no redis-benchmark" >&2; exit 1; }
[ -n "$REDIS_CLI" ] || { echo "bench: no redis-cli" >&2; exit 1; }

TARBALL="$ROOT/distribution/target/cinnabar-0.1.0.tar.gz"
[ -f "$TARBALL" ] || { echo "bench: $TARBALL not found; build it: mvn -B -q package -DskipTests" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinnabar-bench.XXXXXX")"
tar xzf "$TARBALL" -C "$WORK"
CINNABAR="$WORK/cinnabar-0.1.0/bin/cinnabar-server"

pids=()
cleanup() {
    local p
    for p in "${pids[@]+"${pids[@]}"}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${pids[@]+"${pids[@]}"}"; do
        wait "$p" 2>/dev/null || true
        # a server started from a subshell is no child of this one: wait until it is gone (it may still
        # write its files while it shuts down), at most 10 s
        local tries=0
        while kill -0 "$p" 2>/dev/null && [ "$tries" -lt 200 ]; do
            sleep 0.05
            tries=$((tries + 1))
        done
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    local p
    while :; do
        p=$((10000 + RANDOM % 20000))  # below the ephemeral range, which outgoing connections use
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
}
wait_ping() {  # wait_ping <port> <pid>
    local deadline=$((SECONDS + 30))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if [ "$("$REDIS_CLI" -p "$1" PING 2>/dev/null)" = PONG ]; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "bench: server on port $1 exited" >&2; return 1; }
        sleep 0.05
    done
    echo "bench: no PONG on port $1 within 30 s" >&2
    return 1
}
# start_server <redis|cinnabar> <port> <log> [extra options...]: sets $started_pid
start_server() {
    local kind="$1" port="$2" log="$3"
    shift 3
    case "$kind" in
        redis) "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
                   --dbfilename "dump-$port.rdb" --daemonize no "$@" >"$log" 2>&1 & ;;
        # storage-engine mapped keeps its files under dir: a fresh one per start
        cinnabar) mkdir -p "$WORK/data-$port"
                  "$CINNABAR" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/data-$port" \
                   --storage-engine "${engine:-heap}" "$@" >"$log" 2>&1 & ;;
    esac
    started_pid=$!
    pids+=("$started_pid")
    wait_ping "$port" "$started_pid"
}
stop_server() {  # stop_server <pid>
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local keep=() p
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]+"${keep[@]}"}")
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# info_field <port> <field>: one INFO field's value
info_field() { "$REDIS_CLI" -p "$1" INFO | tr -d '\r' | awk -F: -v f="$2" '$1 == f {print $2}'; }
# median of its arguments
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
