#!/usr/bin/env bash
# Benchmark: IMAP operations per second per command. infra/bench/imap-load.sh
#
# Self-contained like smtp-load.sh: its own data directory (wiped), PostgreSQL, a Release silo in the
# background with the production password cost (Argon2id 19 MiB, 2 iterations: LOGIN is measured, but
# an activated account caches its verified password, so only a user's first LOGIN pays it).
# Creates the domain bench.test with BENCH_USERS mailboxes, seeds each with 20 messages of 5 KB over
# SMTP, then runs Mail.Bench imap-load against the implicit-TLS port: BENCH_CLIENTS concurrent clients,
# each looping over random users: connect, LOGIN, SELECT INBOX, FETCH envelope/flags of the last 10,
# FETCH one body (BODY.PEEK[]), STORE +FLAGS \Seen, APPEND 5 KB, STORE +FLAGS \Deleted on it, EXPUNGE,
# LOGOUT. Prints `imap-load: COMMAND N ops in S s = R ops/s (p50, p99)` per command.
#
# Environment (all optional):
#   MAIL_DATA_DIR   default $REPO_ROOT/.data/bench-imap; wiped at start
#   MAIL_PG_PORT    default 55437
#   BENCH_CLIENTS   concurrent clients (default 20)
#   BENCH_USERS     mailboxes (default 100)
#   BENCH_SECONDS   length of the timed run (default 30)
#   BENCH_WARMUP    seconds of uncounted load first, in the same client process (default 10), so the figures
#                   are the steady state and not the JIT compiling the server's and the client's hot paths
# Exit code: 0 when no command failed.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-imap}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55437}"
BENCH_CLIENTS="${BENCH_CLIENTS:-20}"
BENCH_USERS="${BENCH_USERS:-100}"
BENCH_SECONDS="${BENCH_SECONDS:-30}"
BENCH_WARMUP="${BENCH_WARMUP:-10}"
SEED_PER_USER=20

bench_lock_and_wipe
trap 'stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
bench_ports 18280 12625 22211
export MAIL_CLUSTER_ID=bench-imap MAIL_DEMO=false
export MAIL_ARGON2_MEMORY_KIB=19456 MAIL_ARGON2_ITERATIONS=2
export Mail__Smtp__MaxConnectionsPerIp=1000

step "silo start" start_silo
ADMIN_TOKEN="$(tr -d '[:space:]' <"$MAIL_DATA_DIR/admin-token")"
admin() {
    local status
    status="$(curl -sS -o "$MAIL_DATA_DIR/curl.out" -w '%{http_code}' -X POST "$MAIL_HTTP_URL$1" \
        -H "X-Admin-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' -d "$2")"
    [[ $status == 201 ]] || die "POST $1: HTTP $status $(cat "$MAIL_DATA_DIR/curl.out")"
}
create_mailboxes() {
    admin /v1/admin/domains '{"domain":"bench.test"}'
    for ((i = 0; i < BENCH_USERS; i++)); do
        admin /v1/admin/accounts "{\"address\":\"load$i@bench.test\",\"password\":\"bench-password\",\"quota_bytes\":100000000000}"
    done
}
step "create $BENCH_USERS mailboxes" create_mailboxes
# Round robin over the users: SEED_PER_USER messages each (plus smtp-load's warm-up message to load0).
step "seed $SEED_PER_USER x 5 KB per mailbox" bench smtp-load --port "$MAIL_SMTP_PORT" --sessions 10 \
    --messages $((BENCH_USERS * SEED_PER_USER)) --size 5120 --label "5 KB (seed)" \
    --recipient-pattern 'load{0}@bench.test' --recipients "$BENCH_USERS" >/dev/null

load() {
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    # The tool reads the silo's CPU time over the timed window (after its warm-up) and prints it per session.
    bench imap-load --host 127.0.0.1 --port "$MAIL_IMAPS_PORT" --clients "$BENCH_CLIENTS" --users "$BENCH_USERS" \
        --user-pattern 'load{0}@bench.test' --password bench-password --seconds "$BENCH_SECONDS" \
        --warmup-seconds "$BENCH_WARMUP" --server-pid "$(cat "$MAIL_DATA_DIR/silo.pid")" \
        --body-messages "$SEED_PER_USER" | tee "$MAIL_DATA_DIR/figures"
}
step "imap-load" load
