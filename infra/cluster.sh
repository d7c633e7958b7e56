#!/usr/bin/env bash
# A cluster on one machine: infra/cluster.sh N [M]
#
# Starts N silos (each with every frontend in-process) and M frontend-only processes (cluster clients,
# `--role frontend`) against one PostgreSQL and one blob store (the shared data directory), each process
# with its own ports, prints where each listens, and stops them all on Ctrl-C or SIGTERM. Set-up is the
# run command's (infra/run.sh): missing packages, PostgreSQL, dev certificate, master key, a Release build;
# a second run reuses the data directory.
#
# Process i (0-based; silos first, then frontends) listens on the default ports plus 10*i:
#   HTTP 8080+10i, HTTPS 8443+10i, SMTP MX 2525+10i, submission 2587+10i / 2465+10i,
#   IMAP 2143+10i / 2993+10i, POP3 2110+10i / 2995+10i; silo i on 11111+i, its gateway on 30000+i.
# The port base moves with MAIL_CLUSTER_PORT_OFFSET (added to every port), so two clusters can run side by side.
#
# Environment (all optional, besides run.sh's):
#   MAIL_CLUSTER_RESTART  1 = start a silo or frontend again when it exits without being asked to (the chaos
#                         bench kills them with SIGKILL); default 0
#   MAIL_CLUSTER_NO_BUILD 1 = skip the build (the chaos bench has built already)
#   MAIL_CLUSTER_SILO_DIR the silo's build output to run (default Silo/bin/Release/net10.0; the chaos bench runs a copy,
#                         so a build during the run cannot change what a restarted silo loads)
#   MAIL_CLUSTER_PORT_OFFSET  added to every port above (default 0)
#   MAIL_CLUSTERING=azuretable  membership in Azure Table storage instead of PostgreSQL: MAIL_AZURE_TABLE (a connection
#                         string or table endpoint), or, when that is unset, a local Azurite (infra/azurite.sh, table
#                         service on MAIL_AZURITE_PORT+2, default 10002) started and stopped with the cluster
#   MAIL_CLUSTER_READY_FILE   written (one line per process: "role index pid http smtp submission imap pop3 gateway")
#                         once every process answers /health
# Logs: $MAIL_DATA_DIR/cluster/<role>-<i>.log; PIDs: $MAIL_DATA_DIR/cluster/<role>-<i>.pid (the chaos bench reads them).
# Membership, failure detection and client gateway refresh are the silo's Mail:Cluster:Membership settings (README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

silos="${1:-}"
frontends="${2:-0}"
[[ $silos =~ ^[1-9][0-9]*$ && $frontends =~ ^[0-9]+$ ]] || die "usage: $0 SILOS [FRONTENDS]   (e.g. $0 3 1)"

INFRA_DIR="$REPO_ROOT/infra"
SILO_DIR="${MAIL_CLUSTER_SILO_DIR:-$REPO_ROOT/Silo/bin/Release/net10.0}"
CLUSTER_DIR="$MAIL_DATA_DIR/cluster"
OFFSET="${MAIL_CLUSTER_PORT_OFFSET:-0}"
export MAIL_PG_PORT="${MAIL_PG_PORT:-55432}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$CLUSTER_DIR"

# One cluster (or run.sh) per data directory. fd 9 holds the lock and is closed for every child (9>&-).
exec 9>"$MAIL_DATA_DIR/run.lock"
flock -n 9 || die "another infra/run.sh or infra/cluster.sh is already using $MAIL_DATA_DIR"

ensure_packages publicsuffix 9>&-
ensure_node_modules 9>&-
bash "$INFRA_DIR/pg.sh" start 9>&-
bash "$INFRA_DIR/devcert.sh" 9>&-
ensure_master_key
use_azurite=false
if [[ ${MAIL_CLUSTERING:-} == azuretable && -z ${MAIL_AZURE_TABLE:-} ]]; then
    use_azurite=true
    export MAIL_AZURITE_PORT="${MAIL_AZURITE_PORT:-10000}"
    bash "$INFRA_DIR/azurite.sh" start 9>&-
    export MAIL_AZURE_TABLE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${MAIL_AZURITE_TABLE_PORT:-$((MAIL_AZURITE_PORT + 2))}/devstoreaccount1;"
fi
if [[ ${MAIL_CLUSTER_NO_BUILD:-0} != 1 ]]; then
    log "dotnet build Mail.sln -c Release"
    (cd "$REPO_ROOT" && dotnet build Mail.sln -c Release -nologo 9>&-) >"$CLUSTER_DIR/build.log" 2>&1 || {
        tail -n 30 "$CLUSTER_DIR/build.log" >&2
        die "build failed (log: $CLUSTER_DIR/build.log)"
    }
fi

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
export MAIL_TLS_CERT="$MAIL_DATA_DIR/tls/dev.pfx"
export MAIL_DEMO="${MAIL_DEMO:-1}"
export MAIL_REQUIRE_VERIFIED_DOMAINS="${MAIL_REQUIRE_VERIFIED_DOMAINS:-1}"

# Ports of process $1 (0-based): "http https mx submission submissions imap imaps pop3 pop3s silo gateway managesieve".
ports_of() {
    local i="$1" o=$((OFFSET + 10 * $1))
    echo "$((8080 + o)) $((8443 + o)) $((2525 + o)) $((2587 + o)) $((2465 + o)) $((2143 + o)) $((2993 + o)) $((2110 + o)) $((2995 + o)) $((11111 + OFFSET + i)) $((30000 + OFFSET + i)) $((4190 + o))"
}

names=()
for ((i = 0; i < silos; i++)); do names+=("silo-$i"); done
for ((i = 0; i < frontends; i++)); do names+=("frontend-$((silos + i))"); done

# Starts process $1 (index into names) in the background and records its PID.
start_node() {
    local n="$1" name="${names[$1]}" http https mx sub subs imap imaps pop3 pop3s silo gateway sieve role=all
    read -r http https mx sub subs imap imaps pop3 pop3s silo gateway sieve <<<"$(ports_of "$n")"
    [[ $name == frontend-* ]] && role=frontend
    (
        cd "$SILO_DIR"
        export MAIL_ROLE=$role MAIL_HTTP_URL="http://127.0.0.1:$http" MAIL_HTTPS_URL="https://127.0.0.1:$https" \
            MAIL_SMTP_PORT=$mx MAIL_SUBMISSION_PORT=$sub MAIL_SUBMISSIONS_PORT=$subs MAIL_IMAP_PORT=$imap MAIL_IMAPS_PORT=$imaps \
            MAIL_POP3_PORT=$pop3 MAIL_POP3S_PORT=$pop3s MAIL_SILO_PORT=$silo MAIL_GATEWAY_PORT=$gateway MAIL_MANAGESIEVE_PORT=$sieve
        # Only the first silo seeds the demo tenant; the seeder is idempotent but one writer keeps start-up quiet.
        ((n == 0)) || export MAIL_DEMO=0
        exec dotnet Mail.Silo.dll
    ) >>"$CLUSTER_DIR/$name.log" 2>&1 9>&- </dev/null &
    echo $! >"$CLUSTER_DIR/$name.pid"
}

wait_healthy() {
    local n="$1" http i
    http="$(ports_of "$n" | cut -d' ' -f1)"
    for ((i = 0; i < 180; i++)); do
        curl -fs "http://127.0.0.1:$http/health" >/dev/null 2>&1 && return 0
        sleep 1
    done
    tail -n 30 "$CLUSTER_DIR/${names[$n]}.log" >&2
    die "${names[$n]} did not become healthy in 180 s (log: $CLUSTER_DIR/${names[$n]}.log)"
}

stopping=false
# shellcheck disable=SC2317  # called from a trap
stop_all() {
    stopping=true
    local name pid
    for name in "${names[@]}"; do
        pid="$(cat "$CLUSTER_DIR/$name.pid" 2>/dev/null || true)"
        [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true
    done
    for name in "${names[@]}"; do
        pid="$(cat "$CLUSTER_DIR/$name.pid" 2>/dev/null || true)"
        [[ -n $pid ]] && wait "$pid" 2>/dev/null || true
        rm -f "$CLUSTER_DIR/$name.pid"
    done
    rm -f "${MAIL_CLUSTER_READY_FILE:-/nonexistent}"
    if $use_azurite; then bash "$INFRA_DIR/azurite.sh" stop 9>&- || warn "could not stop Azurite"; fi
    bash "$INFRA_DIR/pg.sh" stop 9>&- || warn "could not stop PostgreSQL"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The first silo alone first: it applies migrations and makes the admin token, the JWT key and the demo tenant,
# which the others then find in place instead of racing for them.
start_node 0
wait_healthy 0
for ((n = 1; n < ${#names[@]}; n++)); do start_node "$n"; done
for ((n = 1; n < ${#names[@]}; n++)); do wait_healthy "$n"; done

printf '\nMail cluster: %d silo(s), %d frontend(s); PostgreSQL %s; blobs and keys in %s; membership %s\n' "$silos" "$frontends" "$MAIL_DB" "$MAIL_DATA_DIR" "$([[ ${MAIL_CLUSTERING:-} == azuretable ]] && echo "Azure Table storage" || echo PostgreSQL)"
printf '%-12s %-7s %-6s %-6s %-11s %-10s %-10s %-6s %-6s %-14s %s\n' process pid http mx submission imap pop3 https sieve silo/gateway log
ready=()
for ((n = 0; n < ${#names[@]}; n++)); do
    read -r http https mx sub subs imap imaps pop3 pop3s silo gateway sieve <<<"$(ports_of "$n")"
    pid="$(cat "$CLUSTER_DIR/${names[$n]}.pid")"
    route="$silo/$gateway"
    [[ ${names[$n]} == frontend-* ]] && route="(client)" && gateway=-
    printf '%-12s %-7s %-6s %-6s %-11s %-10s %-10s %-6s %-6s %-14s %s\n' "${names[$n]}" "$pid" "$http" "$mx" "$sub/$subs" "$imap/$imaps" "$pop3/$pop3s" "$https" "$sieve" "$route" "$CLUSTER_DIR/${names[$n]}.log"
    ready+=("${names[$n]%-*} $n $pid $http $mx $sub $imap $pop3 $gateway")
done
printf 'admin token %s; every address is 127.0.0.1. Ctrl-C stops them all.\n\n' "$([[ -n ${MAIL_ADMIN_TOKEN:-} ]] && echo "from MAIL_ADMIN_TOKEN" || echo "$MAIL_DATA_DIR/admin-token")"
if [[ -n ${MAIL_CLUSTER_READY_FILE:-} ]]; then printf '%s\n' "${ready[@]}" >"$MAIL_CLUSTER_READY_FILE"; fi

# Supervise: a process that exits without a stop request is logged, and started again when MAIL_CLUSTER_RESTART=1.
while ! $stopping; do
    sleep 0.2
    for ((n = 0; n < ${#names[@]}; n++)); do
        pid="$(cat "$CLUSTER_DIR/${names[$n]}.pid" 2>/dev/null || true)"
        [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && continue
        $stopping && break
        wait "$pid" 2>/dev/null && rc=0 || rc=$?
        if [[ ${MAIL_CLUSTER_RESTART:-0} == 1 ]]; then
            log "${names[$n]} (pid $pid) exited with $rc; starting it again"
            start_node "$n"
        else
            log "${names[$n]} (pid $pid) exited with $rc; stopping the cluster"
            exit "$rc"
        fi
    done
done
