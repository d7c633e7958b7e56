#!/usr/bin/env bash
# Benchmark: search over a large mailbox through the API. infra/bench/search.sh
#
# Self-contained like imap-scale.sh: wipes its data directory, starts its own PostgreSQL (fsync on), builds Release and
# runs Mail.Bench search, which hosts the real silo with its HTTP and SMTP frontends in its own process and then:
#   1. seeds the demo user's INBOX with BENCH_COUNT generated messages (300 senders, business vocabulary with known
#      phrases, one in five with an attachment, labels, a year of dates): real encrypted blobs, rows by COPY
#   2. waits for the search indexer to index them all from the change log: index throughput in messages/s
#   3. writes EXPLAIN (ANALYZE, BUFFERS) of one query per class to $MAIL_DATA_DIR/plans, then times BENCH_QUERIES
#      GET /v1/search calls (first page of 50, newest first, no count) per query class: sender, phrase,
#      label + unread, date range, attachment name, negation: p50/p99
#   4. delivers BENCH_FRESH messages over SMTP and polls /v1/search for each: the lag from 250 to found, p50/p99/max
# and prints one line per figure, "search: ...". Targets: p99 < 25 ms per class, freshness < 1 s.
#
# Environment (all optional):
#   MAIL_DATA_DIR    default $REPO_ROOT/.data/bench-search; wiped at start (only if empty or made by a benchmark)
#   MAIL_PG_PORT     default 55439
#   BENCH_COUNT      messages in the mailbox (default 100000)
#   BENCH_QUERIES    timed queries per class (default 200)
#   BENCH_FRESH      freshness probes (default 30)
# Exit code: Mail.Bench's (0 when every query answered 200).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-search}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55439}"
BENCH_COUNT="${BENCH_COUNT:-100000}"
BENCH_QUERIES="${BENCH_QUERIES:-200}"
BENCH_FRESH="${BENCH_FRESH:-30}"

bench_lock_and_wipe
trap stop_pg EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench
measure() {
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    bench search --db "Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail" --count "$BENCH_COUNT" \
        --queries "$BENCH_QUERIES" --fresh "$BENCH_FRESH" --explain "$MAIL_DATA_DIR/plans" | tee "$MAIL_DATA_DIR/figures" | grep '^search: '
    log "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
}
step "search" measure
