#!/usr/bin/env bash
# Benchmark: push latency over the SignalR hub. infra/bench/push.sh
#
# Self-contained like imap-load.sh: its own data directory (wiped), PostgreSQL, a Release silo in the
# background. Creates BENCH_CLIENTS accounts in bench.test (a cheap password cost: logins are not what
# is measured), then runs Mail.Bench push: one SignalR client per account connected to /v1/hub, then
# BENCH_MESSAGES messages over SMTP (MX port, BENCH_SESSIONS sessions, BENCH_RATE messages/s in all) to
# the accounts in turn. Prints
#   push: N clients (JSON), M messages over SMTP at R/s: 250 to event p50 X ms, p99 Y ms, max Z ms, lost L
#   push: silo memory per connected client K KiB (RSS ... before the clients, ... with them)
# The latency runs from the moment the client has the SMTP 250 to the moment the recipient's hub
# client has the "added" event (0 when the event came first: the delivery commits before the reply).
#
# Environment (all optional):
#   MAIL_DATA_DIR    default $REPO_ROOT/.data/bench-push; wiped at start
#   MAIL_PG_PORT     default 55438
#   BENCH_CLIENTS    connected clients = accounts (default 1000)
#   BENCH_MESSAGES   messages delivered (default 2000)
#   BENCH_RATE       messages per second (default 50)
#   BENCH_SESSIONS   SMTP sessions (default 4)
#   BENCH_PROTOCOL   json or messagepack (default json)
# Exit code: 0 when every message's event arrived.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-push}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55438}"
BENCH_CLIENTS="${BENCH_CLIENTS:-1000}"
BENCH_MESSAGES="${BENCH_MESSAGES:-2000}"
BENCH_RATE="${BENCH_RATE:-50}"
BENCH_SESSIONS="${BENCH_SESSIONS:-4}"
BENCH_PROTOCOL="${BENCH_PROTOCOL:-json}"

bench_lock_and_wipe
trap 'stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
bench_ports 18380 12725 22311
export MAIL_CLUSTER_ID=bench-push MAIL_DEMO=false
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1
# One loopback client logs in and connects every account: the per-address limits would refuse it.
export Mail__Http__RateLimit__PerIpPerMinute=10000000 Mail__Security__AddressFailures=10000000
export Mail__Smtp__MaxConnectionsPerIp=1000

step "silo start" start_silo
ADMIN_TOKEN="$(tr -d '[:space:]' <"$MAIL_DATA_DIR/admin-token")"
admin() {
    local status
    status="$(curl -sS -o "$MAIL_DATA_DIR/curl.out" -w '%{http_code}' -X POST "$MAIL_HTTP_URL$1" \
        -H "X-Admin-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$2")"
    [[ $status == 201 ]] || die "POST $1: HTTP $status $(cat "$MAIL_DATA_DIR/curl.out")"
}
create_accounts() {
    admin /v1/admin/domains '{"domain":"bench.test"}'
    for ((i = 0; i < BENCH_CLIENTS; i++)); do
        admin /v1/admin/accounts "{\"address\":\"push$i@bench.test\",\"password\":\"bench-password\"}"
    done
}
step "create $BENCH_CLIENTS accounts" create_accounts

run() {
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    bench push --url "$MAIL_HTTP_URL" --smtp-port "$MAIL_SMTP_PORT" --clients "$BENCH_CLIENTS" \
        --messages "$BENCH_MESSAGES" --rate "$BENCH_RATE" --sessions "$BENCH_SESSIONS" --protocol "$BENCH_PROTOCOL" \
        --user-pattern 'push{0}@bench.test' --password bench-password --server-pid "$(cat "$MAIL_DATA_DIR/silo.pid")" \
        | tee "$MAIL_DATA_DIR/figures"
}
step "push" run
