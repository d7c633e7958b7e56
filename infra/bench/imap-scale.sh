#!/usr/bin/env bash
# Benchmark: IMAP on a folder of a million messages. infra/bench/imap-scale.sh
#
# Self-contained like grain-memory.sh: wipes its data directory, starts its own PostgreSQL (fsync on), builds Release
# and runs Mail.Bench imap-scale, which hosts the real silo with its IMAP frontend in its own process (so that the
# managed heap can be measured) and then:
#   1. deactivates the demo user's mailbox grain and seeds its INBOX with BENCH_COUNT messages by SQL (seed-mailbox:
#      the rows a delivery writes, one in five unread), so the grain loads them when it next activates
#   2. logs in over plain IMAP on loopback and SELECTs INBOX once (activation and the load of the folder's map), then
#      BENCH_SELECTS more times: SELECT p50/p99
#   3. FETCH 1:* (FLAGS) and UID SEARCH UNSEEN, BENCH_RUNS times each: the median time to the tagged OK
#   4. logs in BENCH_SESSIONS more sessions, then has each SELECT INBOX: the managed heap growth (after full
#      collections) divided by the sessions is the memory of a selected session
# and prints one line per figure, "imap-scale: ...". Targets: SELECT p50 < 10 ms, < 16 bytes per message per session.
#
# Environment (all optional):
#   MAIL_DATA_DIR    default $REPO_ROOT/.data/bench-imap-scale; wiped at start (only if empty or made by a benchmark)
#   MAIL_PG_PORT     default 55438
#   BENCH_COUNT      messages in the folder (default 1000000)
#   BENCH_SELECTS    timed SELECTs (default 200)
#   BENCH_RUNS       runs of FETCH and SEARCH (default 3)
#   BENCH_SESSIONS   sessions selecting the folder for the memory figure (default 100)
# Exit code: Mail.Bench's (0 when every command answered OK with the expected number of responses).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-imap-scale}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55438}"
BENCH_COUNT="${BENCH_COUNT:-1000000}"
BENCH_SELECTS="${BENCH_SELECTS:-200}"
BENCH_RUNS="${BENCH_RUNS:-3}"
BENCH_SESSIONS="${BENCH_SESSIONS:-100}"

bench_lock_and_wipe
trap stop_pg EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench
measure() {
    log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    bench imap-scale --db "Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail" --count "$BENCH_COUNT" \
        --selects "$BENCH_SELECTS" --runs "$BENCH_RUNS" --sessions "$BENCH_SESSIONS" | tee "$MAIL_DATA_DIR/figures" | grep '^imap-scale: '
}
step "imap-scale" measure
