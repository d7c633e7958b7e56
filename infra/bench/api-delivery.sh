#!/usr/bin/env bash
# Benchmark: durable deliveries per second through the HTTP API, into an empty mailbox and into one of
# 100000 messages. infra/bench/api-delivery.sh
#
# Self-contained, like infra/run.sh: wipes its data directory, starts its own PostgreSQL (fsync and
# synchronous_commit on, as infra/pg.sh always does), builds Release and runs the real silo in the
# background. Then:
#   1. creates three recipients through the admin API: bench-warmup@, bench-empty@ and
#      bench-full@example.test
#   2. stops the silo (a mailbox's counters live in its grain, so SQL may seed it only while it is
#      not active) and seeds bench-full with BENCH_SEED messages (Mail.Bench seed-mailbox)
#   3. starts the silo again and runs Mail.Bench api-delivery into bench-warmup, not printed: a
#      fresh silo spends about twice the CPU per send until the JIT and the GC have settled, which
#      would otherwise be charged to whichever mailbox is measured first
#   4. runs Mail.Bench api-delivery into the empty, then the full mailbox: 20 senders, 20
#      concurrent workers, ~10 KB text messages, counting only sends answered 201 with the
#      recipient filed (a 201 means the blob and the mailbox rows are durable)
# and prints the two figure lines and `api-delivery: full/empty = P%`. Logins are not measured, so
# Argon2 is made cheap and the rate limits high. On stderr: step timings, the load average before
# each run and the CPU per send of the silo and of PostgreSQL, which unlike the wall-clock figure
# does not depend on what else the machine is running.
#
# Environment (all optional):
#   MAIL_DATA_DIR     default $REPO_ROOT/.data/bench; wiped at start (only if empty or made by this script)
#   MAIL_PG_PORT      default 55434 (infra/run.sh uses 55432, infra/test.sh 55433)
#   BENCH_HTTP_PORT   default: the first free port from 18080
#   BENCH_MESSAGES    measured sends per run (default 5000)
#   BENCH_SEED        messages seeded into the full mailbox (default 100000)
#   BENCH_WARMUP      sends of the warm-up run (default 5000)
# Step timings and the silo's log ($MAIL_DATA_DIR/silo.log) go to stderr / the data directory.
# Exit code: 0 when both runs delivered every message without an error, 1 otherwise.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55434}"
BENCH_MESSAGES="${BENCH_MESSAGES:-5000}"
BENCH_SEED="${BENCH_SEED:-100000}"
BENCH_WARMUP="${BENCH_WARMUP:-5000}"
DOMAIN=example.test
WARMUP="bench-warmup@$DOMAIN"
EMPTY="bench-empty@$DOMAIN"
FULL="bench-full@$DOMAIN"
QUOTA=20000000000

bench_lock_and_wipe
trap 'stop_silo; stop_pg' EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
http_port="${BENCH_HTTP_PORT:-$(free_port 18080)}"
MAIL_SILO_PORT="$(free_port 21111)"
MAIL_GATEWAY_PORT="$(free_port $((MAIL_SILO_PORT + 1)))"
export MAIL_HTTP_URL="http://127.0.0.1:$http_port" MAIL_SILO_PORT MAIL_GATEWAY_PORT
# The demo tenant provides the domain example.test. (The host binds Mail:Demo as a bool: "true", not "1".)
export MAIL_CLUSTER_ID=bench MAIL_DEMO=true
export MAIL_RATE_PER_IP=1000000 MAIL_RATE_PER_ACCOUNT=1000000
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1

step "silo start" start_silo
ADMIN_TOKEN="$(tr -d '[:space:]' <"$MAIL_DATA_DIR/admin-token")"
create_account() {
    local address="$1" status
    status="$(curl -sS -o "$MAIL_DATA_DIR/curl.out" -w '%{http_code}' -X POST "$MAIL_HTTP_URL/v1/admin/accounts" \
        -H "X-Admin-Token: $ADMIN_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"address\":\"$address\",\"password\":\"bench-password\",\"quota_bytes\":$QUOTA}")"
    [[ $status == 201 ]] || die "creating $address: HTTP $status $(cat "$MAIL_DATA_DIR/curl.out")"
}
create_recipients() { create_account "$WARMUP" && create_account "$EMPTY" && create_account "$FULL"; }
step "create recipients" create_recipients
step "silo stop" stop_silo

seed() { bench seed-mailbox --db "$MAIL_DB" --address "$FULL" --count "$BENCH_SEED" >&2; }
step "seed $BENCH_SEED messages into $FULL" seed
step "silo start" start_silo

# Runs api-delivery: deliver RECIPIENT LABEL MESSAGES; the figure line goes to stdout.
deliver() {
    # Each run starts right after a checkpoint, so both pay the same full-page-write cost in the WAL and
    # neither inherits the other's dirty pages: without it the first run pays for the seed.
    psql_bench -c CHECKPOINT
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    local before after sends=$(($3 + 20 * 5))
    read -r -d '' -a before < <(cpu_ticks) || true
    bench api-delivery --url "$MAIL_HTTP_URL" --admin-token "$ADMIN_TOKEN" --recipient "$1" \
        --senders 20 --messages "$3" --size 10240 --warmup 5 --label "$2"
    read -r -d '' -a after < <(cpu_ticks) || true
    log "$(awk -v s=$((after[0] - before[0])) -v p=$((after[1] - before[1])) -v hz="$(getconf CLK_TCK)" -v n="$sends" \
        'BEGIN { printf "CPU per send: silo %.2f ms, PostgreSQL %.2f ms (over %d sends incl. 100 warm-up)", 1000 * s / hz / n, 1000 * p / hz / n, n }')"
}
warm_up() { deliver "$WARMUP" "the warm-up mailbox" "$BENCH_WARMUP" >/dev/null; }
measure() { deliver "$@" | tee -a "$MAIL_DATA_DIR/figures"; }

: >"$MAIL_DATA_DIR/figures"
step "api-delivery warm-up run ($BENCH_WARMUP sends, not printed)" warm_up
step "api-delivery into the empty mailbox" measure "$EMPTY" "an empty mailbox" "$BENCH_MESSAGES"
step "api-delivery into the full mailbox" measure "$FULL" "a mailbox of $BENCH_SEED" "$BENCH_MESSAGES"

# The counters the grains keep must still match the rows: a check that seeding left them exact
# and that every acknowledged delivery is there.
check_counters() {
    local bad
    bad="$(psql_bench -Atc "
        SELECT string_agg(d.address, ', ') FROM directory_accounts d JOIN mailboxes m USING (account_id)
        WHERE d.address IN ('$WARMUP', '$EMPTY', '$FULL') AND (
            (m.message_count, m.quota_used) <> (SELECT count(*), COALESCE(sum(size), 0) FROM mailbox_messages x WHERE x.account_id = m.account_id)
            OR m.next_message_id <= (SELECT COALESCE(max(message_id), 0) FROM mailbox_messages x WHERE x.account_id = m.account_id)
            OR m.highest_modseq < (SELECT COALESCE(max(modseq), 0) FROM mailbox_changes c WHERE c.account_id = m.account_id)
            OR EXISTS (SELECT 1 FROM mailbox_folders f WHERE f.account_id = m.account_id AND (
                (f.message_count, f.unseen_count, f.total_size) <>
                    (SELECT count(*), count(*) FILTER (WHERE NOT ('\\Seen' = ANY (x.flags))), COALESCE(sum(size), 0)
                     FROM mailbox_messages x WHERE x.account_id = f.account_id AND x.folder_id = f.folder_id)
                OR f.uid_next <= (SELECT COALESCE(max(uid), 0) FROM mailbox_messages x WHERE x.account_id = f.account_id AND x.folder_id = f.folder_id))))")"
    [[ -z $bad ]] || die "mailbox counters do not match the rows of: $bad"
    log "counters match the rows: $(psql_bench -Atc "
        SELECT string_agg(d.address || ' ' || m.message_count || ' messages', ', ' ORDER BY d.address)
        FROM directory_accounts d JOIN mailboxes m USING (account_id) WHERE d.address IN ('$WARMUP', '$EMPTY', '$FULL')")"
}
step "silo stop" stop_silo
step "check mailbox counters" check_counters

awk '/^api-delivery: .* msg\/s$/ { rate[++n] = $(NF - 1) }
     END { if (n == 2 && rate[1] > 0) printf "api-delivery: full/empty = %.0f%%\n", 100 * rate[2] / rate[1]; else exit 1 }' \
    "$MAIL_DATA_DIR/figures"
