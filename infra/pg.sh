#!/usr/bin/env bash
# Local PostgreSQL 15 cluster for development and tests: infra/pg.sh start|stop|status
#
# The cluster lives under $MAIL_DATA_DIR/pg (data/ = PGDATA, postgres.log = server log), is
# created once by initdb and reused by later starts. It listens on 127.0.0.1:$MAIL_PG_PORT
# (default 55432) only, with its unix socket inside data/.
#
# SECURITY (dev only): authentication is 'trust' for local and loopback connections, so any
# process on this machine can connect as the superuser 'mail' without a password. Never use
# this cluster, or these settings, for anything but development and tests.
#
# fsync and synchronous_commit stay on: the product acknowledges nothing before it is durable
# and the tests must exercise that, not a faster but weaker server.
#
# As root the server runs as the 'postgres' system user (PostgreSQL refuses to run as root);
# otherwise as the invoking user.
#
# Exit codes: 0 ok; status exits 3 when the server is not running; 1 on any error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MAIL_PG_PORT="${MAIL_PG_PORT:-55432}"
PG_DIR="$MAIL_DATA_DIR/pg"
PGDATA_DIR="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"

pg_ctl_() { as_pg_user "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" "$@"; }

# pg_ctl status alone trusts any live PID in postmaster.pid; also require that PID to be a
# PostgreSQL server (after a container restart the PID may belong to something else).
pg_running() {
    local pid
    [[ -f $PGDATA_DIR/postmaster.pid ]] || return 1
    pid="$(head -n1 "$PGDATA_DIR/postmaster.pid" | tr -dc '0-9')"
    is_live_postgres "$pid" && pg_ctl_ status >/dev/null 2>&1
}

psql_() {
    PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -v ON_ERROR_STOP=1 "$@"
}

init_cluster() {
    ensure_pg_os_user
    mkdir -p "$PG_DIR"
    chown "$(pg_os_user):" "$PG_DIR"
    chmod 700 "$PG_DIR"
    ensure_pg_can_reach "$PG_DIR"
    [[ -f $PGDATA_DIR/PG_VERSION ]] && return 0

    # initdb into a side directory and rename it when complete, so an interrupted initdb
    # never leaves a half-made cluster that a later start would try to use.
    local staging="$PG_DIR/data.initdb"
    rm -rf "$staging"
    log "initialising PostgreSQL cluster in $PGDATA_DIR"
    as_pg_user "$PG_BIN/initdb" -D "$staging" -U mail --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --data-checksums --no-instructions >"$PG_DIR/initdb.log" 2>&1 ||
        {
            cat "$PG_DIR/initdb.log" >&2
            die "initdb failed"
        }
    printf "\n# Dev settings, rewritten by infra/pg.sh on every start.\ninclude_if_exists = 'mail-dev.conf'\n" |
        as_pg_user tee -a "$staging/postgresql.conf" >/dev/null
    as_pg_user mv "$staging" "$PGDATA_DIR"
}

write_settings() {
    # A unix socket path is limited to 107 bytes; with a deep data directory, serve TCP only.
    local socket_dir="$PGDATA_DIR"
    if ((${#socket_dir} + 20 > 107)); then
        warn "data directory path too long for a unix socket; PostgreSQL serves TCP only"
        socket_dir=""
    fi
    as_pg_user tee "$PGDATA_DIR/mail-dev.conf" >/dev/null <<EOF
# Written by infra/pg.sh on every start; change the script, not this file.
listen_addresses = '127.0.0.1'
port = $MAIL_PG_PORT
unix_socket_directories = '$socket_dir'
ssl = off

# Sized for a 2-core development box running the test suite: one database per test
# class, each with its own connection pool.
max_connections = 300
shared_buffers = 256MB
work_mem = 8MB
maintenance_work_mem = 128MB
effective_cache_size = 1GB
random_page_cost = 1.1
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
max_wal_size = 2GB
min_wal_size = 256MB
checkpoint_completion_target = 0.9

# Write-heavy mail workload (README, Delivery throughput): fewer full-page images after each checkpoint
# (checkpoint_timeout), and those compressed (wal_compression); a larger WAL buffer for group-committed batches.
# commit_delay stays 0: the silo batches concurrent mailbox writes into one transaction itself (GroupCommit).
checkpoint_timeout = 15min
wal_compression = lz4
wal_buffers = 16MB

# Per-statement time, calls and WAL bytes (pg_stat_statements; the benchmarks' BENCH_PG_STATEMENTS report reads it).
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top

# Durability is a product requirement: keep these on, also in development.
fsync = on
synchronous_commit = on
full_page_writes = on

timezone = 'UTC'
log_timezone = 'UTC'
lc_messages = 'C'
log_line_prefix = '%m [%p] %q%u@%d '
EOF
}

# True when $1 is a running (not zombie) PostgreSQL server process.
is_live_postgres() {
    [[ -n $1 && "$(readlink "/proc/$1/exe" 2>/dev/null)" == "$PG_BIN/postgres" ]] &&
        ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# After a crash (kill -9 of the postmaster, a container restart) postmaster.pid and the socket
# lock file may name a PID that is a not-yet-reaped zombie or now belongs to an unrelated
# process; PostgreSQL then refuses to start. And backends of the dead postmaster may hold its
# shared memory for a moment after it died.
clear_crash_leftovers() {
    local lock pid
    for lock in "$PGDATA_DIR/postmaster.pid" "$PGDATA_DIR"/.s.PGSQL.*.lock; do
        [[ -f $lock ]] || continue
        pid="$(head -n1 "$lock" | tr -dc '0-9')"
        if ! is_live_postgres "$pid"; then
            log "removing stale lock file $lock (PID ${pid:-?} is not a running server)"
            rm -f "$lock"
            # a socket lock file guards the socket next to it
            if [[ $lock == *.lock ]]; then rm -f "${lock%.lock}"; fi
        fi
    done
    local orphans=() waited=0 p
    while :; do
        orphans=()
        for p in /proc/[0-9]*; do
            if [[ "$(readlink "$p/cwd" 2>/dev/null)" == "$PGDATA_DIR" &&
                "$(readlink "$p/exe" 2>/dev/null)" == "$PG_BIN/postgres" ]]; then
                orphans+=("${p#/proc/}")
            fi
        done
        [[ ${#orphans[@]} -eq 0 ]] && return 0
        if ((waited >= 10)); then
            log "killing leftover server processes of a dead postmaster: ${orphans[*]}"
            kill -KILL "${orphans[@]}" 2>/dev/null || true
            sleep 1
            return 0
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

ensure_database() {
    if [[ "$(psql_ -d postgres -Atqc "select 1 from pg_database where datname = 'mail'")" != 1 ]]; then
        log "creating database mail"
        psql_ -d postgres -qc 'create database mail'
    fi
}

cmd_start() {
    [[ -x $PG_BIN/pg_ctl ]] || die "PostgreSQL 15 is not installed ($PG_BIN); run ensure_packages (infra/test.sh or infra/run.sh do)"
    init_cluster
    if pg_running; then
        log "PostgreSQL already running ($PGDATA_DIR)"
    else
        clear_crash_leftovers
        if port_open "$MAIL_PG_PORT"; then
            die "port $MAIL_PG_PORT is already in use by another process (another cluster or infra/run.sh?); set MAIL_PG_PORT"
        fi
        write_settings
        log "starting PostgreSQL on 127.0.0.1:$MAIL_PG_PORT (log: $PG_LOG)"
        touch "$PG_LOG"
        chown "$(pg_os_user):" "$PG_LOG"
        if ! pg_ctl_ start -w -t 120 -l "$PG_LOG" >/dev/null; then
            tail -n 30 "$PG_LOG" >&2 || true
            die "PostgreSQL did not start"
        fi
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d postgres && break
        sleep 1
    done
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d postgres ||
        die "PostgreSQL is not answering on 127.0.0.1:$MAIL_PG_PORT (log: $PG_LOG)"
    ensure_database
    log "PostgreSQL ready: Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
}

cmd_stop() {
    if pg_running; then
        log "stopping PostgreSQL ($PGDATA_DIR)"
        pg_ctl_ stop -m fast -w -t 120 >/dev/null
    else
        log "PostgreSQL not running ($PGDATA_DIR)"
    fi
}

cmd_status() {
    if [[ ! -f $PGDATA_DIR/PG_VERSION ]]; then
        echo "no cluster in $PGDATA_DIR"
        return 3
    fi
    local rc=0
    pg_ctl_ status || rc=$?
    return "$rc"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
