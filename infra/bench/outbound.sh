#!/usr/bin/env bash
# Benchmark: outbound delivery rate. infra/bench/outbound.sh
#
# Self-contained like smtp-load.sh: its own data directory (wiped), PostgreSQL (fsync and
# synchronous_commit on), a Release silo. Three phases:
#   1. fill: the silo runs with its sender off; Mail.Bench outbound-fill queues BENCH_MESSAGES 10 KB
#      messages for remote.bench through POST /v1/send (each DKIM-signed as it is queued);
#   2. the silo stops; Mail.Bench outbound-drain starts the remote side in its own process: a DNS
#      server (MX remote.bench -> 127.0.0.5) and an SMTP sink on 127.0.0.5 that accepts everything;
#   3. the silo starts again with its sender on (20 connections to the site, 100 messages per
#      connection) and drains the queue. The timed window runs from the BENCH_WARMUP-th arrival until
#      the database says every row is delivered (a row is marked delivered only after the sink's 250).
# Prints `outbound: N messages in S s = R msg/s ...` and the silo's CPU per message over that window.
#
# Environment (all optional):
#   MAIL_DATA_DIR   default $REPO_ROOT/.data/bench-outbound; wiped at start
#   MAIL_PG_PORT    default 55436
#   BENCH_MESSAGES  messages queued (default 10000)
#   BENCH_WARMUP    arrivals before the timed window (default 1000)
#   BENCH_CONNECTIONS connections to the site (default 20)
# Exit code: 0 when every message arrived exactly once.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-outbound}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55436}"
BENCH_MESSAGES="${BENCH_MESSAGES:-10000}"
BENCH_WARMUP="${BENCH_WARMUP:-1000}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-20}"

bench_lock_and_wipe
drain_pid=
stop_drain() { [[ -z $drain_pid ]] || kill "$drain_pid" 2>/dev/null || true; }
trap 'stop_drain; stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
bench_ports 18280 12625 22211
export MAIL_IMAP_PORT=0 MAIL_IMAPS_PORT=0 MAIL_POP3_PORT=0 MAIL_POP3S_PORT=0 MAIL_MANAGESIEVE_PORT=0
export MAIL_CLUSTER_ID=bench-outbound MAIL_DEMO=false MAIL_HOSTNAME=mx.bench.test
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1
export MAIL_REQUIRE_VERIFIED_DOMAINS=0
export MAIL_RATE_PER_IP=1000000 MAIL_RATE_PER_ACCOUNT=1000000
export Mail__Outbound__ConnectionsPerDestination="$BENCH_CONNECTIONS"

fill() {
    Mail__Outbound__Enabled=false start_silo
    ADMIN_TOKEN="$(tr -d '[:space:]' <"$MAIL_DATA_DIR/admin-token")"
    curl -fsS -o /dev/null -X POST "$MAIL_HTTP_URL/v1/admin/domains" -H "X-Admin-Token: $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d '{"domain":"bench.test"}'
    bench outbound-fill --url "$MAIL_HTTP_URL" --admin-token "$ADMIN_TOKEN" --messages "$BENCH_MESSAGES" --size 10240
    stop_silo
}
step "fill the queue ($BENCH_MESSAGES messages)" fill

drain() {
    rm -f "$MAIL_DATA_DIR/bench-dns" "$MAIL_DATA_DIR/bench-sink-port"
    bench outbound-drain --dir "$MAIL_DATA_DIR" --db "$MAIL_DB" --messages "$BENCH_MESSAGES" --warmup "$BENCH_WARMUP" \
        --server-pid-file "$MAIL_DATA_DIR/silo.pid" --pg-pid-file "$MAIL_DATA_DIR/pg/data/postmaster.pid" >"$MAIL_DATA_DIR/figures" &
    drain_pid=$!
    local i
    for ((i = 0; i < 120; i++)); do [[ -s $MAIL_DATA_DIR/bench-sink-port ]] && break; sleep 0.5; done
    [[ -s $MAIL_DATA_DIR/bench-sink-port ]] || die "outbound-drain did not start"
    MAIL_DNS_SERVERS="$(cat "$MAIL_DATA_DIR/bench-dns")" Mail__Outbound__RemotePort="$(cat "$MAIL_DATA_DIR/bench-sink-port")" start_silo
    log "load average before the drain: $(cut -d' ' -f1-3 /proc/loadavg)"
    local rc=0
    wait "$drain_pid" || rc=$?
    drain_pid=
    cat "$MAIL_DATA_DIR/figures"
    return "$rc"
}
step "drain the queue" drain
