#!/usr/bin/env bash
# Benchmark: durable SMTP deliveries per second. infra/bench/smtp-load.sh
#
# Self-contained like api-delivery.sh: its own data directory (wiped), PostgreSQL (fsync and
# synchronous_commit on), a Release silo in the background. Creates the domain bench.test with 100
# mailboxes, then runs Mail.Bench smtp-load against the MX port: 20 concurrent sessions, a new
# connection per message, EHLO + pipelined MAIL/RCPT/DATA, one recipient per message, round robin
# over the 100 mailboxes. A message counts only when the server answered 250 after the data, which it
# does only once the blob is fsynced and the recipient's mailbox row is committed.
# Prints `smtp-load: N messages of 10 KB in S s = R msg/s`, the silo's and PostgreSQL's CPU per message, and how long after
# the last 250 the search index had caught up (indexing runs beside delivery, bounded), then the same for 1 MB, then
# the 10 KB load into one mailbox (a hot mailbox) and its rate as a share of the spread-out one.
#
# Environment (all optional):
#   MAIL_DATA_DIR        default $REPO_ROOT/.data/bench-smtp; wiped at start
#   MAIL_PG_PORT         default 55435
#   BENCH_MESSAGES       10 KB messages (default 5000)
#   BENCH_LARGE_MESSAGES 1 MB messages (default 500)
#   BENCH_SESSIONS       concurrent sessions (default 20)
#   Mail__Search__LiveIndexing=false  index only by the sweep: measures delivery alone (with Mail__Search__SweepInterval=01:00:00)
#   BENCH_PG_STATEMENTS  N: after each run, print the N statements that took the most PostgreSQL time (pg_stat_statements)
#   BENCH_WARMUP         uncounted messages before each run, in the same client process (default 3000), so
#                        the figure is the steady state and not the JIT compiling the server's and client's hot paths
# Exit code: 0 when every message was accepted.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-smtp}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55435}"
BENCH_MESSAGES="${BENCH_MESSAGES:-5000}"
BENCH_LARGE_MESSAGES="${BENCH_LARGE_MESSAGES:-500}"
BENCH_SESSIONS="${BENCH_SESSIONS:-20}"
BENCH_WARMUP="${BENCH_WARMUP:-3000}"

bench_lock_and_wipe
trap 'stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
bench_ports 18180 12525 22111
export MAIL_CLUSTER_ID=bench-smtp MAIL_DEMO=false
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1
export MAIL_SMTP_MAX_MESSAGE_BYTES=30000000
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
    for i in $(seq 0 99); do
        admin /v1/admin/accounts "{\"address\":\"load$i@bench.test\",\"password\":\"bench-password\",\"quota_bytes\":100000000000}"
    done
}
step "create 100 mailboxes" create_mailboxes

load() {
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    statements_reset
    local before after
    read -r -d '' -a before < <(cpu_ticks) || true
    # Warm-up and timed run in one client process; the tool reads the silo's CPU time over the timed run.
    bench smtp-load --port "$MAIL_SMTP_PORT" --sessions "$BENCH_SESSIONS" --messages "$1" --size "$2" --label "$3" \
        --warmup "$4" --server-pid "$(cat "$MAIL_DATA_DIR/silo.pid")" \
        --recipient-pattern 'load{0}@bench.test' --recipients "${5:-100}" | tee -a "$MAIL_DATA_DIR/figures"
    read -r -d '' -a after < <(cpu_ticks) || true
    awk -v s=$((after[0] - before[0])) -v p=$((after[1] - before[1])) -v hz="$(getconf CLK_TCK)" -v n=$(($1 + $4)) -v l="$3" \
        'BEGIN { printf "smtp-load: %s CPU per message with the warm-up: silo %.2f ms, PostgreSQL %.2f ms (%d messages)\n", l, 1000 * s / hz / n, 1000 * p / hz / n, n }' |
        tee -a "$MAIL_DATA_DIR/figures"
    statements_report
}
: >"$MAIL_DATA_DIR/figures"
step "smtp-load 10 KB" load "$BENCH_MESSAGES" 10240 "10 KB" "$BENCH_WARMUP"

# Search indexing runs beside delivery with a bounded share of the silo (Mail:Search:IndexParallelism), so it may end
# the run behind: how long after the last 250 every mailbox was searchable again.
index_lag() {
    local start behind
    start="$(date +%s.%N)"
    while true; do
        behind="$(psql_bench -Atc "SELECT count(*) FROM mailboxes m LEFT JOIN search_progress p USING (account_id)
            WHERE p.modseq IS DISTINCT FROM m.highest_modseq")"
        [[ $behind == 0 ]] && break
        awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a > 600) }' && die "the index was still behind after 10 minutes"
        sleep 0.2
    done
    awk -v a="$start" -v b="$(date +%s.%N)" -v d="$(psql_bench -Atc 'SELECT count(*) FROM search_documents')" \
        'BEGIN { printf "smtp-load: search index caught up %.1f s after the last 250 (%d documents)\n", b - a, d }' | tee -a "$MAIL_DATA_DIR/figures"
}
[[ ${Mail__Search__LiveIndexing:-true} == false ]] || step "search index catch-up" index_lag
step "smtp-load 1 MB" load "$BENCH_LARGE_MESSAGES" 1048576 "1 MB" 100
# A hot mailbox: the same 10 KB load, every session into load0@ (deliveries to one account share its grain's commits).
step "smtp-load 10 KB into one mailbox" load "$BENCH_MESSAGES" 10240 "10 KB, one mailbox" 1000 1
hot_ratio() {
    awk 'function rate(i) { for (i = 1; i <= NF; i++) if ($i == "msg/s") return $(i - 1) }
         /messages of 10 KB in .* 100 mailboxes/ { spread = rate() }
         /messages of 10 KB, one mailbox in/ { hot = rate() }
         END { if (spread > 0) printf "smtp-load: one mailbox / 100 mailboxes = %.0f%%\n", 100 * hot / spread }' "$MAIL_DATA_DIR/figures" |
        tee -a "$MAIL_DATA_DIR/figures"
}
hot_ratio

count_rows() {
    local stored expected=$((2 * BENCH_MESSAGES + BENCH_LARGE_MESSAGES + BENCH_WARMUP + 100 + 1000))
    stored="$(psql_bench -Atc "SELECT count(*) FROM mailbox_messages")"
    log "messages stored: $stored (expected $expected: the runs and their warm-ups)"
    [[ $stored == "$expected" ]] || die "stored $stored messages, expected $expected"
}
step "check stored messages" count_rows
