#!/usr/bin/env bash
# The run command: infra/run.sh [silo arguments, e.g. --role frontend]
#
# Installs what is missing (Debian and npm packages), starts PostgreSQL (and Azurite when MAIL_BLOB_STORE=azure),
# makes the dev TLS certificate, builds Mail.sln in Release and runs the silo in the
# foreground. Ctrl-C or SIGTERM stops the silo gracefully, then PostgreSQL and Azurite.
# Run data lives in $MAIL_DATA_DIR (default $REPO_ROOT/.data); a second run reuses it.
#
# Environment (all optional):
#   MAIL_DATA_DIR       run data: PostgreSQL cluster, blobs, TLS, admin token (default .data)
#   MAIL_PG_PORT        PostgreSQL port (default 55432)
#   MAIL_BLOB_STORE     'azure' to store blobs in Azure Blob Storage; without MAIL_AZURE_BLOB
#                       that is a local Azurite on MAIL_AZURITE_PORT (default 10000)
#   MAIL_AZURE_BLOB     Azure Blob Storage connection string
#   MAIL_DEMO           0 = no demo tenant; run.sh sets 1 when unset (the silo's own default is off,
#                       so a deployment never gets users with a published password by accident)
#   MAIL_MASTER_KEY_FILE  the master key file wrapping the tenant keys (default master.key in the data
#                       directory); created, mode 600, when missing
#   MAIL_ADMIN_TOKEN, ...: passed to the silo unchanged
#   MAIL_REQUIRE_VERIFIED_DOMAINS  refuse mail to remote recipients from a domain whose DKIM
#                       record is not verified (default 1; 0 lets the demo send off the box)
# Set for the silo:
#   MAIL_DATA_DIR, MAIL_DB (Npgsql connection string), MAIL_TLS_CERT (PKCS#12, no password), MAIL_DEMO,
#   MAIL_HTTPS_URL (default https://127.0.0.1:8443: the API over TLS with the dev certificate)
#
# The silo runs with its build output directory as working directory (its content root, as
# when deployed). Exit code: the silo's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

INFRA_DIR="$REPO_ROOT/infra"
SILO_DIR="$REPO_ROOT/Silo/bin/Release/net10.0"
export MAIL_PG_PORT="${MAIL_PG_PORT:-55432}"
export MAIL_AZURITE_PORT="${MAIL_AZURITE_PORT:-10000}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# One silo per data directory. fd 9 holds the lock and is closed for every child (9>&-).
exec 9>"$MAIL_DATA_DIR/run.lock"
flock -n 9 || die "another infra/run.sh is already using $MAIL_DATA_DIR"

use_azurite=false
if [[ ${MAIL_BLOB_STORE:-} == azure && -z ${MAIL_AZURE_BLOB:-} ]]; then
    use_azurite=true
fi

# shellcheck disable=SC2317  # called from a trap
stop_services() {
    if $use_azurite; then
        bash "$INFRA_DIR/azurite.sh" stop 9>&- || warn "could not stop Azurite"
    fi
    bash "$INFRA_DIR/pg.sh" stop 9>&- || warn "could not stop PostgreSQL"
}
trap stop_services EXIT

ensure_packages publicsuffix 9>&-
ensure_node_modules 9>&-
bash "$INFRA_DIR/pg.sh" start 9>&-
bash "$INFRA_DIR/devcert.sh" 9>&-
ensure_master_key
if $use_azurite; then
    bash "$INFRA_DIR/azurite.sh" start 9>&-
    export MAIL_AZURE_BLOB="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$MAIL_AZURITE_PORT/devstoreaccount1;"
fi

log "dotnet build Mail.sln -c Release"
(cd "$REPO_ROOT" && dotnet build Mail.sln -c Release -nologo 9>&-)

export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail"
export MAIL_TLS_CERT="$MAIL_DATA_DIR/tls/dev.pfx"
export MAIL_DEMO="${MAIL_DEMO:-1}"
export MAIL_HTTPS_URL="${MAIL_HTTPS_URL-https://127.0.0.1:8443}"
export MAIL_REQUIRE_VERIFIED_DOMAINS="${MAIL_REQUIRE_VERIFIED_DOMAINS:-1}"
# The demo's sending IPs (issue 10): transactional mail leaves from two warm loopback addresses, marketing mail
# (bulk jobs, class "marketing") from two new ones that warm up, so the operator console has something to show.
# Complaint reports go to fbl@example.test. Set MAIL_DEMO_POOLS=0 to send from the default address instead.
if [[ $MAIL_DEMO != 0 && ${MAIL_DEMO_POOLS:-1} != 0 ]]; then
    export Mail__Reputation__Pools__transactional__WarmIps__0=127.0.0.2 Mail__Reputation__Pools__transactional__WarmIps__1=127.0.0.3
    export Mail__Reputation__Pools__marketing__Ips__0=127.0.0.4 Mail__Reputation__Pools__marketing__Ips__1=127.0.0.5
    export Mail__Reputation__Rules__0__Class=marketing Mail__Reputation__Rules__0__Pool=marketing
    export Mail__Reputation__DefaultPool=transactional Mail__Reputation__FeedbackAddress=fbl@example.test
fi
if [[ $MAIL_REQUIRE_VERIFIED_DOMAINS =~ ^(0|false|no|off)$ ]]; then
    sending="any hosted domain may send to remote recipients (MAIL_REQUIRE_VERIFIED_DOMAINS=$MAIL_REQUIRE_VERIFIED_DOMAINS)"
else
    sending="only DKIM-verified domains reach remote recipients (MAIL_REQUIRE_VERIFIED_DOMAINS=0 to turn off)"
fi

cat <<EOF

Mail dev server
  webmail     http://127.0.0.1:8080/   (sign in with a mailbox address and its password)
  HTTP        http://127.0.0.1:8080   (API, /health, /openapi/v1.json)
  operators   http://127.0.0.1:8080/ops   (console: pools, IPs, tenants; log in with the admin token)
  HTTPS       ${MAIL_HTTPS_URL:-off}   (the same, with the dev certificate)
  SMTP        MX 127.0.0.1:2525, submission 2587 (STARTTLS) / 2465 (TLS), AUTH PLAIN/LOGIN
  IMAP        127.0.0.1:2143 (STARTTLS) / 2993 (TLS)
  POP3        127.0.0.1:2110 (STLS) / 2995 (TLS)
  ManageSieve 127.0.0.1:${MAIL_MANAGESIEVE_PORT:-4190} (STARTTLS; Sieve filters, RFC 5804)
  admin token $( [[ -n ${MAIL_ADMIN_TOKEN:-} ]] && echo "from MAIL_ADMIN_TOKEN" || echo "$MAIL_DATA_DIR/admin-token")
EOF
if [[ ! ${MAIL_DEMO,,} =~ ^(0|false|no|off)$ ]]; then
    echo "  demo users  alice@example.test / bob@example.test, password demo-password"
fi
cat <<EOF
  master key  ${MAIL_MASTER_KEY_FILE:-$MAIL_DATA_DIR/master.key} (wraps the tenant keys: back it up apart from the data)
  TLS         $MAIL_DATA_DIR/tls/dev.crt (self-signed; trust it or skip verification)
  PostgreSQL  $MAIL_DB
  blobs       ${MAIL_BLOB_STORE:-filesystem}$($use_azurite && echo " (Azurite on 127.0.0.1:$MAIL_AZURITE_PORT)")
  data        $MAIL_DATA_DIR
  sending     $sending
$([[ $MAIL_DEMO != 0 && ${MAIL_DEMO_POOLS:-1} != 0 ]] && echo "  IP pools    transactional: 127.0.0.2, 127.0.0.3 (warm); marketing: 127.0.0.4, 127.0.0.5 (warming up); FBL fbl@example.test")
Ctrl-C stops the server.

EOF

# The silo runs as a child, not through exec, so that the services can be stopped after it.
# A background job of a non-interactive shell ignores SIGINT, so every stop request reaches
# it as SIGTERM (a graceful host shutdown); the third one kills it.
(cd "$SILO_DIR" && exec dotnet Mail.Silo.dll "$@") 9>&- <&0 &
silo_pid=$!
stop_requests=0
# shellcheck disable=SC2317  # called from a trap
request_stop() {
    stop_requests=$((stop_requests + 1))
    if ((stop_requests >= 3)); then
        warn "killing the silo"
        kill -KILL "$silo_pid" 2>/dev/null || true
    else
        ((stop_requests == 1)) || log "still stopping; press Ctrl-C again to kill the silo"
        kill -TERM "$silo_pid" 2>/dev/null || true
    fi
}
trap request_stop INT TERM

# Once the silo is up, show the records the demo domain's owner would publish, one JSON object a line.
# shellcheck disable=SC2317  # runs in the background
print_demo_records() {
    local url=http://127.0.0.1:8080 token i
    for ((i = 0; i < 120; i++)); do
        curl -fs "$url/health" >/dev/null 2>&1 && break
        sleep 1
    done
    token=${MAIL_ADMIN_TOKEN:-$(cat "$MAIL_DATA_DIR/admin-token" 2>/dev/null || true)}
    log "DNS records of example.test; after publishing them: curl -XPOST -H \"X-Admin-Token: \$(cat $MAIL_DATA_DIR/admin-token)\" $url/v1/admin/domains/example.test/verify"
    curl -fs -H "X-Admin-Token: $token" "$url/v1/admin/domains/example.test/dns" |
        sed -e 's/^{"records":\[//' -e 's/\]}$//' -e 's/},{/}\n{/g' | sed 's/^/  /' ||
        warn "could not read the DNS records of example.test"
}
if [[ ${MAIL_DEMO:-1} != 0 && -z ${MAIL_HTTP_URL:-} ]]; then
    print_demo_records 9>&- &
fi

rc=0
while :; do
    wait "$silo_pid" && rc=0 || rc=$?
    kill -0 "$silo_pid" 2>/dev/null || break
done
log "silo exited with code $rc"
exit "$rc"
