#!/usr/bin/env bash
# Benchmark: a million accounts. infra/bench/scale.sh
#
# Wipes its data directory, starts its own PostgreSQL, builds Release and runs Mail.Bench scale: the real host
# in-process; imports BENCH_ACCOUNTS accounts through POST /v1/admin/accounts:import (JSON lines, streamed, 10,000 a
# request), delivers one ~2 KB message over SMTP to each of BENCH_DELIVER random ones (cold mailboxes) and then one more
# to each (warm), and prints one line per figure, each with the load average:
#   scale: N accounts imported in S s = R accounts/s
#   scale: silo memory per idle mailbox (managed heap after the import, idle grains collected, over N)
#   scale: silo memory per active mailbox (managed heap growth after the cold deliveries, over the mailbox activations)
#   scale: cold activation p50/p99 (first call on a collected mailbox, one at a time) and the same call warm
#   scale: SMTP delivery rate into cold vs warm mailboxes, with latency p50/p99
#   scale: PostgreSQL size per account and per message (pg_database_size deltas), blob bytes per message
# The import lines carry a password_hash (one Argon2id hash at the default cost, made once; every account logs in with
# "scale-password"), as a migration from another server does, and the rate limits are lifted.
#
# Environment (all optional):
#   MAIL_DATA_DIR      default $REPO_ROOT/.data/bench-scale; wiped at start (only if empty or made by a benchmark)
#   MAIL_PG_PORT       default 55441
#   BENCH_ACCOUNTS     accounts to import (default 1000000)
#   BENCH_DELIVER      mailboxes delivered to (default a tenth of BENCH_ACCOUNTS)
#   BENCH_PROBES       mailboxes whose cold activation is timed (default 500)
#   BENCH_PARALLELISM  SMTP connections at once (default 16)
#   BENCH_IMPORT_BATCH        import lines per tenant grain call and PostgreSQL transaction (default 1000)
#   BENCH_IMPORT_PARALLELISM  import batches at once (default 4)
# Exit code: Mail.Bench's (0 when every delivery was accepted).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-scale}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55441}"
BENCH_ACCOUNTS="${BENCH_ACCOUNTS:-1000000}"
BENCH_DELIVER="${BENCH_DELIVER:-$((BENCH_ACCOUNTS / 10))}"
BENCH_PROBES="${BENCH_PROBES:-500}"
BENCH_PARALLELISM="${BENCH_PARALLELISM:-16}"
BENCH_IMPORT_BATCH="${BENCH_IMPORT_BATCH:-1000}"
BENCH_IMPORT_PARALLELISM="${BENCH_IMPORT_PARALLELISM:-4}"

bench_lock_and_wipe
trap stop_pg EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench
measure() {
    bench scale --db "Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail;Maximum Pool Size=50" \
        --accounts "$BENCH_ACCOUNTS" --deliver "$BENCH_DELIVER" --probes "$BENCH_PROBES" --parallelism "$BENCH_PARALLELISM" \
        --import-batch "$BENCH_IMPORT_BATCH" --import-parallelism "$BENCH_IMPORT_PARALLELISM"
}
step "scale" measure
