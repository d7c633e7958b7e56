#!/usr/bin/env bash
# Benchmark: managed memory per idle mailbox grain. infra/bench/grain-memory.sh
#
# Wipes its data directory, starts its own PostgreSQL, builds Release and runs Mail.Bench grain-memory:
# the real host in-process, BENCH_MAILBOXES empty mailboxes inserted with SQL, each grain activated
# once, then left idle; the managed heap growth (after full compacting collections) divided by the
# number of grains is the figure. Prints that line (and a context line), then stops PostgreSQL.
#
# Environment (all optional):
#   MAIL_DATA_DIR     default $REPO_ROOT/.data/bench-memory; wiped at start (only if empty or made by a benchmark)
#   MAIL_PG_PORT      default 55436 (api-delivery.sh uses 55434, smtp-load.sh 55435, infra/run.sh 55432, infra/test.sh 55433)
#   BENCH_MAILBOXES   grains to activate (default 2000)
# Exit code: Mail.Bench's (0 when every grain was still active when measured).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-memory}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55436}"
BENCH_MAILBOXES="${BENCH_MAILBOXES:-2000}"

bench_lock_and_wipe
trap stop_pg EXIT

step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench
measure() { bench grain-memory --db "Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail" --count "$BENCH_MAILBOXES"; }
step "grain-memory" measure
