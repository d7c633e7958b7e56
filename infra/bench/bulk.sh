#!/usr/bin/env bash
# Benchmark: one bulk job end to end. infra/bench/bulk.sh
#
# Self-contained like outbound.sh: its own data directory (wiped), PostgreSQL (fsync and synchronous_commit
# on), a Release silo. Mail.Bench bulk runs the remote side first (a DNS server and an SMTP sink on
# 127.0.0.5 that accepts everything and keeps only counts), the silo starts pointed at them, then the tool
# hosts bench.test, publishes its SPF, DKIM and DMARC records on its DNS server and verifies them (bulk needs
# all three), makes a tenant API key and streams in one marketing job of BENCH_MESSAGES recipients, each with
# a BENCH_SIZE text body and two substitutions. No sending caps apply: the bench configures no IP pools.
# Prints the time to 202 (the job stored), `bulk: N messages in S s = R msg/s` from the POST to the last
# delivery (every message personalised, stored, DKIM-signed, queued and sent over SMTP), the silo's CPU per
# message, the load average, and the silo's resident memory before, at its peak and as the job progresses.
#
# Environment (all optional):
#   MAIL_DATA_DIR     default $REPO_ROOT/.data/bench-bulk; wiped at start
#   MAIL_PG_PORT      default 55437
#   BENCH_MESSAGES    recipients of the job (default 100000)
#   BENCH_SIZE        text body bytes (default 10240)
#   BENCH_CONNECTIONS connections to the sink's site (default 20)
# Exit code: 0 when every message arrived exactly once, signed, with its unsubscribe fields.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-bulk}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55437}"
BENCH_MESSAGES="${BENCH_MESSAGES:-100000}"
BENCH_SIZE="${BENCH_SIZE:-10240}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-20}"

bench_lock_and_wipe
tool_pid=
stop_tool() { [[ -z $tool_pid ]] || kill "$tool_pid" 2>/dev/null || true; }
trap 'stop_tool; stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
bench_ports 18380 12725 22311
export MAIL_IMAP_PORT=0 MAIL_IMAPS_PORT=0 MAIL_POP3_PORT=0 MAIL_POP3S_PORT=0 MAIL_MANAGESIEVE_PORT=0
export MAIL_CLUSTER_ID=bench-bulk MAIL_DEMO=false MAIL_HOSTNAME=mx.bench.test
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1
export MAIL_RATE_PER_IP=1000000 MAIL_RATE_PER_ACCOUNT=1000000
export Mail__Outbound__ConnectionsPerDestination="$BENCH_CONNECTIONS"

run_job() {
    rm -f "$MAIL_DATA_DIR/bench-dns" "$MAIL_DATA_DIR/bench-sink-port"
    bench bulk --dir "$MAIL_DATA_DIR" --url "$MAIL_HTTP_URL" --messages "$BENCH_MESSAGES" --size "$BENCH_SIZE" \
        --server-pid-file "$MAIL_DATA_DIR/silo.pid" >"$MAIL_DATA_DIR/figures" &
    tool_pid=$!
    local i
    for ((i = 0; i < 120; i++)); do [[ -s $MAIL_DATA_DIR/bench-sink-port ]] && break; sleep 0.5; done
    [[ -s $MAIL_DATA_DIR/bench-sink-port ]] || die "Mail.Bench bulk did not start"
    MAIL_DNS_SERVERS="$(cat "$MAIL_DATA_DIR/bench-dns")" Mail__Outbound__RemotePort="$(cat "$MAIL_DATA_DIR/bench-sink-port")" start_silo
    log "load average before the job: $(cut -d' ' -f1-3 /proc/loadavg)"
    local rc=0
    wait "$tool_pid" || rc=$?
    tool_pid=
    cat "$MAIL_DATA_DIR/figures"
    return "$rc"
}
step "bulk job of $BENCH_MESSAGES recipients" run_job
