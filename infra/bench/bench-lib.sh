# shellcheck shell=bash
# Shared by the infra/bench/ scripts; source it after infra/lib.sh, do not run it.
#
# A benchmark owns its data directory: it takes a lock on it, wipes it for a clean run, runs its own
# PostgreSQL there (infra/pg.sh, on MAIL_PG_PORT) and, if it needs one, a silo whose PID it keeps.
# Benchmarks also wait for each other: two at once on a small machine distort both figures.

BENCH_SILO_DIR="$REPO_ROOT/Silo/bin/Release/net10.0"
BENCH_DLL="$REPO_ROOT/Tests/Mail.Bench/bin/Release/net10.0/Mail.Bench.dll"
BENCH_MARKER=.mail-bench-data
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# One benchmark per data directory at a time.
# The directory is wiped only if this script made it (marker file) or it is empty, so a mistaken
# MAIL_DATA_DIR=.data cannot delete the run data.
bench_lock_and_wipe() {
    # fd 8 holds the machine-wide lock, fd 9 the data directory's; children close both (8>&- 9>&-).
    exec 8>"${TMPDIR:-/tmp}/mail-bench.lock"
    if ! flock -n 8; then
        log "another benchmark is running on this machine; waiting for it to finish"
        flock 8
    fi
    if [[ -n "$(ls -A "$MAIL_DATA_DIR")" && ! -f $MAIL_DATA_DIR/$BENCH_MARKER ]]; then
        die "$MAIL_DATA_DIR is not empty and was not made by a benchmark; not wiping it (set MAIL_DATA_DIR)"
    fi
    exec 9>"$MAIL_DATA_DIR/bench.lock"
    flock -n 9 || die "another benchmark is using $MAIL_DATA_DIR"
    # Left over from an interrupted run: its silo and its PostgreSQL.
    stop_silo
    bash "$REPO_ROOT/infra/pg.sh" stop 8>&- 9>&- 2>/dev/null || true
    find "$MAIL_DATA_DIR" -mindepth 1 -maxdepth 1 ! -name bench.lock -exec rm -rf {} +
    touch "$MAIL_DATA_DIR/$BENCH_MARKER"
    log "data directory $MAIL_DATA_DIR (wiped)"
}

# Runs "$@" and logs how long it took: step NAME COMMAND [ARGS...]
step() {
    local name="$1" start end
    shift
    start="$(date +%s.%N)"
    "$@"
    end="$(date +%s.%N)"
    log "$(awk -v a="$start" -v b="$end" -v n="$name" 'BEGIN { printf "%s: %.1f s", n, b - a }')"
}

# The first port from $1 up that nothing listens on.
free_port() {
    local port="$1"
    while port_open "$port"; do port=$((port + 1)); done
    echo "$port"
}

# Picks free ports for every listener of the silo from three bases ($1 HTTP, $2 SMTP MX, $3 silo) and exports them
# as MAIL_*_PORT and MAIL_HTTP_URL: submission follows the MX, IMAP is MX + 18, POP3 MX - 15, the gateway follows the
# silo port, ManageSieve from 14190. Each benchmark passes its own bases, so two can run side by side.
bench_ports() {
    local http_port
    http_port="$(free_port "$1")"
    MAIL_SMTP_PORT="$(free_port "$2")"
    MAIL_SUBMISSION_PORT="$(free_port $((MAIL_SMTP_PORT + 1)))"
    MAIL_SUBMISSIONS_PORT="$(free_port $((MAIL_SUBMISSION_PORT + 1)))"
    MAIL_IMAP_PORT="$(free_port $(($2 + 18)))"
    MAIL_IMAPS_PORT="$(free_port $((MAIL_IMAP_PORT + 1)))"
    MAIL_POP3_PORT="$(free_port $(($2 - 15)))"
    MAIL_POP3S_PORT="$(free_port $((MAIL_POP3_PORT + 1)))"
    MAIL_MANAGESIEVE_PORT="$(free_port 14190)"
    MAIL_SILO_PORT="$(free_port "$3")"
    MAIL_GATEWAY_PORT="$(free_port $((MAIL_SILO_PORT + 1)))"
    export MAIL_HTTP_URL="http://127.0.0.1:$http_port" MAIL_SMTP_PORT MAIL_SUBMISSION_PORT MAIL_SUBMISSIONS_PORT \
        MAIL_IMAP_PORT MAIL_IMAPS_PORT MAIL_POP3_PORT MAIL_POP3S_PORT MAIL_MANAGESIEVE_PORT MAIL_SILO_PORT MAIL_GATEWAY_PORT
}

start_pg() {
    ensure_packages 8>&- 9>&-
    bash "$REPO_ROOT/infra/pg.sh" start 8>&- 9>&-
}

# shellcheck disable=SC2317  # called from a trap
stop_pg() {
    bash "$REPO_ROOT/infra/pg.sh" stop 8>&- 9>&- || warn "could not stop PostgreSQL"
}

# Builds the bench tool and, through its reference, the silo.
build_bench() {
    (cd "$REPO_ROOT" && dotnet build Tests/Mail.Bench/Mail.Bench.csproj -c Release -nologo 8>&- 9>&-) >"$MAIL_DATA_DIR/build.log" 2>&1 || {
        tail -n 30 "$MAIL_DATA_DIR/build.log" >&2
        die "build failed (log: $MAIL_DATA_DIR/build.log)"
    }
}

bench() { dotnet "$BENCH_DLL" "$@" 8>&- 9>&-; }

psql_bench() {
    PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d mail -v ON_ERROR_STOP=1 "$@"
}

# CPU time in clock ticks of the silo, then of this benchmark's PostgreSQL server processes (postmaster and backends).
cpu_ticks() {
    local postmaster
    postmaster="$(head -n1 "$MAIL_DATA_DIR/pg/data/postmaster.pid")"
    ticks_of "$(cat "$MAIL_DATA_DIR/silo.pid")"
    # shellcheck disable=SC2046  # one word per PID
    ticks_of "$postmaster" $(ps -o pid= --ppid "$postmaster")
}
ticks_of() {
    local p t total=0
    for p in "$@"; do
        t="$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)" || continue
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

# pg_stat_statements (preloaded by infra/pg.sh): statements_reset before a run, statements_report N after it prints
# the N statements that took the most PostgreSQL time, with calls and mean time, when BENCH_PG_STATEMENTS=N is set.
statements_reset() {
    [[ -n "${BENCH_PG_STATEMENTS:-}" ]] || return 0
    psql_bench -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' -c 'SELECT pg_stat_statements_reset()' >/dev/null
}
statements_report() {
    [[ -n "${BENCH_PG_STATEMENTS:-}" ]] || return 0
    psql_bench -P pager=off -c "SELECT round(total_exec_time::numeric, 0) AS total_ms, calls, round(mean_exec_time::numeric, 3) AS mean_ms,
        rows, wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $BENCH_PG_STATEMENTS" >&2
}

# A resolver on loopback for the silo's DNS (sender checks: SPF, DKIM, DMARC; MX lookups) unless the benchmark set
# MAIL_DNS_SERVERS itself: dnsmasq answering every name from its (empty) local data, so a lookup ends at once with
# NXDOMAIN. Without it a benchmark measures the machine's resolver: a smtp-load run once fell to 8 msg/s while every
# session waited out SPF lookups the sandbox resolver never answered.
start_bench_dns() {
    [[ -z "${MAIL_DNS_SERVERS:-}" || -n "${BENCH_DNS_PORT:-}" ]] || return 0
    live_pid_from_file "$MAIL_DATA_DIR/dns.pid" dnsmasq >/dev/null && return 0
    ensure_packages dnsmasq
    BENCH_DNS_PORT="${BENCH_DNS_PORT:-$(free_port 15353)}"
    local port="$BENCH_DNS_PORT"
    dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address=127.0.0.1 \
        --port="$port" --local='/#/' --pid-file= --user=root >>"$MAIL_DATA_DIR/dns.log" 2>&1 8>&- 9>&- </dev/null &
    echo $! >"$MAIL_DATA_DIR/dns.pid"
    export MAIL_DNS_SERVERS="127.0.0.1:$port"
}

# shellcheck disable=SC2317  # called from a trap
stop_bench_dns() {
    local pid
    pid="$(live_pid_from_file "$MAIL_DATA_DIR/dns.pid" dnsmasq)" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$MAIL_DATA_DIR/dns.pid"
}

# Starts the silo in the background with the MAIL_* environment and waits for /health (MAIL_HTTP_URL).
start_silo() {
    ensure_master_key
    start_bench_dns
    (cd "$BENCH_SILO_DIR" && exec dotnet Mail.Silo.dll) >>"$MAIL_DATA_DIR/silo.log" 2>&1 8>&- 9>&- </dev/null &
    echo $! >"$MAIL_DATA_DIR/silo.pid"
    local pid=$! i
    for ((i = 0; i < 240; i++)); do
        if curl -fsS -o /dev/null "$MAIL_HTTP_URL/health" 2>/dev/null; then return 0; fi
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$MAIL_DATA_DIR/silo.log" >&2
            die "the silo exited during start (log: $MAIL_DATA_DIR/silo.log)"
        fi
        sleep 0.5
    done
    die "the silo did not become healthy within 120 s (log: $MAIL_DATA_DIR/silo.log)"
}

# Stops the silo this benchmark started (SIGTERM: a graceful shutdown that deactivates its grains).
# shellcheck disable=SC2317  # called from a trap
stop_silo() {
    local pid i
    pid="$(live_pid_from_file "$MAIL_DATA_DIR/silo.pid" Mail.Silo.dll)" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 120; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        warn "the silo did not stop within 60 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$MAIL_DATA_DIR/silo.pid"
    stop_bench_dns
}
