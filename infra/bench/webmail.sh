#!/usr/bin/env bash
# Benchmark: the webmail's weight and speed. infra/bench/webmail.sh
#
# Always prints the JavaScript and CSS the page ships, gzipped (-9), from a fresh Vite build. With BENCH_INBOX=1
# (default) it also runs a Release silo on its own data directory, seeds the demo user's INBOX with BENCH_COUNT
# messages by SQL (Mail.Bench seed-mailbox, while the mailbox grain is not active), and drives headless Chromium
# (Frontends/Mail.Webmail/bench/inbox-load.mjs, playwright-core) to print the time from navigation to a usable inbox
# (first rows drawn, folders listed) and the frame time while the list is scrolled 320 px a frame.
#
# Environment (all optional):
#   MAIL_DATA_DIR   default $REPO_ROOT/.data/bench-webmail; wiped at start
#   MAIL_PG_PORT    default 55439
#   BENCH_COUNT     messages in the INBOX (default 100000)
#   BENCH_RUNS      page loads timed (default 5)
#   BENCH_INBOX     0: print the sizes only
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/bench-webmail}"
# shellcheck source=infra/lib.sh
source "$INFRA_DIR/lib.sh"
# shellcheck source=infra/bench/bench-lib.sh
source "$INFRA_DIR/bench/bench-lib.sh"

export MAIL_PG_PORT="${MAIL_PG_PORT:-55439}"
BENCH_COUNT="${BENCH_COUNT:-100000}"
BENCH_RUNS="${BENCH_RUNS:-5}"
WEBMAIL_DIR="$REPO_ROOT/Frontends/Mail.Webmail"

ensure_node_modules
gz() { cat "$@" | gzip -9 | wc -c; }
js=("$WEBMAIL_DIR"/dist/assets/*.js)
css=("$WEBMAIL_DIR"/dist/assets/*.css)
echo "webmail: JavaScript shipped $(gz "${js[@]}") bytes gzipped ($(cat "${js[@]}" | wc -c) raw, ${#js[@]} file), CSS $(gz "${css[@]}") bytes gzipped; target < 300 KB gzipped"
[[ ${BENCH_INBOX:-1} == 0 ]] && exit 0

bench_lock_and_wipe
trap 'stop_silo; stop_pg' EXIT
step "PostgreSQL" start_pg
step "dotnet build (Release)" build_bench
bash "$INFRA_DIR/devcert.sh" 8>&- 9>&-
port="$(free_port 18480)"
export MAIL_DB="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Database=mail" MAIL_DEMO=1 MAIL_DEMO_POOLS=0
export MAIL_TLS_CERT="$MAIL_DATA_DIR/tls/dev.pfx" MAIL_HTTP_URL="http://127.0.0.1:$port" MAIL_HTTPS_URL=
export MAIL_CLUSTER_ID=bench-webmail MAIL_SILO_PORT="$(free_port 21480)" MAIL_GATEWAY_PORT="$(free_port 31480)"
export MAIL_SMTP_PORT="$(free_port 12580)" MAIL_SUBMISSION_PORT="$(free_port 12581)" MAIL_SUBMISSIONS_PORT="$(free_port 12582)"
export MAIL_IMAP_PORT="$(free_port 12583)" MAIL_IMAPS_PORT="$(free_port 12584)" MAIL_POP3_PORT="$(free_port 12585)" MAIL_POP3S_PORT="$(free_port 12586)" MAIL_MANAGESIEVE_PORT="$(free_port 12587)"
# First start creates the demo accounts; the seed goes in while no silo runs, so no mailbox grain is active.
step "silo (demo accounts)" start_silo
# The demo quota (500 MB) holds about 50,000 seeded messages: give alice room for BENCH_COUNT before seeding.
curl -fsS -o /dev/null -X PATCH -H "X-Admin-Token: $(tr -d '[:space:]' <"$MAIL_DATA_DIR/admin-token")" \
    -H 'Content-Type: application/json' -d '{"quota_bytes":100000000000}' "$MAIL_HTTP_URL/v1/admin/accounts/alice@example.test" \
    || die "could not raise alice's quota"
stop_silo
step "seed $BENCH_COUNT messages" bench seed-mailbox --db "$MAIL_DB" --address alice@example.test --count "$BENCH_COUNT"
step "silo" start_silo
log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$WEBMAIL_DIR" && node bench/inbox-load.mjs "$MAIL_HTTP_URL/" alice@example.test demo-password "$BENCH_RUNS" 8>&- 9>&-)
