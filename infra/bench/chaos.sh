#!/usr/bin/env bash
# Benchmark: silo failover with exact accounting. infra/bench/chaos.sh
#
# Runs a cluster of 3 silos and 1 frontend-only process (infra/cluster.sh 3 1, MAIL_CLUSTER_RESTART=1) on its own
# data directory (wiped) and PostgreSQL, then Mail.Bench chaos: SMTP MX and submission (STARTTLS + AUTH, one local and
# one remote recipient), IMAP APPEND + UID STORE \Flagged, and API sends (Idempotency-Key), spread over every process;
# every BENCH_KILL_EVERY seconds, once all processes answer /health, one silo is killed with SIGKILL and cluster.sh
# starts it again. Every request that got a temporary error (4xx, NO, 5xx from the API, a broken connection) is retried
# through the next process. Remote recipients go through a relay (Mail:Outbound:RelayHost) to a sink in the load tool.
# At the end it checks the store and prints four lines: accepted, stored, lost, duplicated; flags kept, change-log gaps,
# outbound lost and sent twice; the failover window per kill; latency p50/p99 within 10 s of a kill and otherwise, with
# the load average.
#
# Environment (all optional):
#   MAIL_DATA_DIR     default $REPO_ROOT/.data/bench-chaos; wiped at start
#   MAIL_PG_PORT      default 55437
#   BENCH_SECONDS     seconds of load (default 120)
#   BENCH_KILL_EVERY  seconds between kills (default 30)
#   BENCH_USERS       mailboxes (default 24)
#   BENCH_NO_BUILD    1 = run the build output as it is
# Exit code: 0 when nothing acknowledged was lost or duplicated, every flag kept and every change log whole.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-chaos}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55437}"
BENCH_SECONDS="${BENCH_SECONDS:-120}"
BENCH_KILL_EVERY="${BENCH_KILL_EVERY:-30}"
BENCH_USERS="${BENCH_USERS:-24}"

bench_lock_and_wipe
ensure_packages 8>&- 9>&-
[[ ${BENCH_NO_BUILD:-0} == 1 ]] || step "dotnet build (Release)" build_bench

cluster_pid=
# shellcheck disable=SC2317  # called from a trap
stop_cluster() {
    [[ -n $cluster_pid ]] || return 0
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
}
trap stop_cluster EXIT

# A copy of the build: a build during the run must not change what a restarted silo loads.
cp -a "$BENCH_SILO_DIR" "$MAIL_DATA_DIR/silo-bin"
export MAIL_CLUSTER_SILO_DIR="$MAIL_DATA_DIR/silo-bin"
sink_port="$(free_port 12500)"
export MAIL_CLUSTER_RESTART=1 MAIL_CLUSTER_NO_BUILD=1 MAIL_CLUSTER_READY_FILE="$MAIL_DATA_DIR/cluster.ready"
export MAIL_CLUSTER_PORT_OFFSET="${MAIL_CLUSTER_PORT_OFFSET:-1000}"
export MAIL_DEMO=1 MAIL_DEMO_POOLS=0 MAIL_REQUIRE_VERIFIED_DOMAINS=0 MAIL_HTTPS_URL=
export MAIL_ARGON2_MEMORY_KIB=1024 MAIL_ARGON2_ITERATIONS=1
export MAIL_RATE_PER_IP=1000000 MAIL_RATE_PER_ACCOUNT=1000000
export Mail__Smtp__MaxConnectionsPerIp=1000 Mail__Imap__MaxConnectionsPerIp=1000 Mail__Imap__AllowPlaintextAuth=true
export MAIL_RELAY_HOST=127.0.0.1 MAIL_RELAY_PORT="$sink_port" Mail__Outbound__RelayRequireTls=false Mail__Outbound__LeaseSeconds=10
# The cluster's own output goes to its log; cluster.sh takes the data directory's run lock, so it must not inherit ours.
bash "$INFRA_DIR/cluster.sh" 3 1 >"$MAIL_DATA_DIR/cluster.out" 2>&1 8>&- 9>&- </dev/null &
cluster_pid=$!
for ((i = 0; i < 600; i++)); do
    [[ -s $MAIL_CLUSTER_READY_FILE ]] && break
    kill -0 "$cluster_pid" 2>/dev/null || { tail -n 30 "$MAIL_DATA_DIR/cluster.out" >&2; die "infra/cluster.sh exited"; }
    sleep 1
done
[[ -s $MAIL_CLUSTER_READY_FILE ]] || die "the cluster did not come up in 600 s (log: $MAIL_DATA_DIR/cluster.out)"
sed -n '/^Mail cluster/,/^admin token/p' "$MAIL_DATA_DIR/cluster.out" >&2

bench chaos --db "Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail" --ready-file "$MAIL_CLUSTER_READY_FILE" \
    --cluster-dir "$MAIL_DATA_DIR/cluster" --admin-token-file "$MAIL_DATA_DIR/admin-token" --sink-port "$sink_port" \
    --seconds "$BENCH_SECONDS" --kill-every "$BENCH_KILL_EVERY" --users "$BENCH_USERS"
