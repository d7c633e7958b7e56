#!/usr/bin/env bash
# Benchmark: Argon2id time and CPU per password hash, managed (Konscious) against libsodium. infra/bench/password-hash.sh
#
# Builds Release and runs Mail.Bench password-hash: first a cross-check that both implementations derive the same
# bytes for the same password, salt and costs (so stored hashes verify with either), then, for each, BENCH_HASHES
# hashes one at a time and BENCH_HASHES two at once (two threads), after a warm-up. Prints the lines: wall time per
# hash (and each hash's own duration when two run at once), process CPU per hash, and the ratio. No database, no
# silo: a password check costs one hash and nothing else worth measuring.
#
# Environment (all optional):
#   MAIL_DATA_DIR         default $REPO_ROOT/.data/bench-password-hash (build log); wiped at start (only if empty or
#                         made by a benchmark)
#   MAIL_ARGON2_MEMORY_KIB, MAIL_ARGON2_ITERATIONS   costs, default the product's: 19456 KiB, 2 passes
#   BENCH_HASHES          hashes per measurement (default 20)
# Exit code: Mail.Bench's (1 when the two implementations disagree).
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-password-hash}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

bench_lock_and_wipe

step "dotnet build (Release)" build_bench
measure() {
    bench password-hash --memory-kib "${MAIL_ARGON2_MEMORY_KIB:-19456}" --iterations "${MAIL_ARGON2_ITERATIONS:-2}" \
        --hashes "${BENCH_HASHES:-20}"
}
step "password-hash" measure
