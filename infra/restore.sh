#!/usr/bin/env bash
# Restore: infra/restore.sh SRC NEW_DATA_DIR
#
# Restores a backup made by infra/backup.sh into a new data directory: checks the files against the MANIFEST, restores
# the database, copies the blob store and the secrets. Start the silo on it with MAIL_DATA_DIR=NEW_DATA_DIR (and the
# restored master key, or MAIL_MASTER_KEY_FILE pointing at the one kept apart).
#
# Environment:
#   MAIL_PG_PORT        port of the PostgreSQL to restore into (default 55432)
#   MAIL_RESTORE_SERVER "new" (default): a new PostgreSQL cluster in NEW_DATA_DIR/pg (infra/pg.sh), left running;
#                       "existing": the server already on MAIL_PG_PORT, into a new database MAIL_PG_DATABASE
#   MAIL_PG_DATABASE    database to create and restore into (default mail); it must not exist unless it is the empty
#                       database infra/pg.sh just made
# Exit code: 0 when everything was restored and the row counts match the MANIFEST.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src="${1:-}"
target="${2:-}"
[[ -n $src && -n $target ]] || die "usage: $0 SRC NEW_DATA_DIR"
[[ -f $src/mail.dump && -f $src/MANIFEST ]] || die "$src is not a backup (no mail.dump or MANIFEST)"
if [[ -e $target && -n "$(ls -A "$target")" ]]; then die "$target is not empty: restore into a new data directory"; fi
export MAIL_PG_PORT="${MAIL_PG_PORT:-55432}"
database="${MAIL_PG_DATABASE:-mail}"

log "checking $src against its MANIFEST"
(cd "$src" && tail -n +3 MANIFEST | sha256sum --quiet -c -) || die "$src does not match its MANIFEST"

mkdir -p "$target"
target="$(cd "$target" && pwd -P)"
psql_() { PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -Atq -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -v ON_ERROR_STOP=1 "$@"; }
if [[ ${MAIL_RESTORE_SERVER:-new} == new ]]; then
    MAIL_DATA_DIR="$target" bash "$(dirname "${BASH_SOURCE[0]}")/pg.sh" start
    [[ $database == mail ]] || psql_ -d postgres -c "create database \"$database\""
else
    psql_ -d postgres -c "create database \"$database\""
fi
log "pg_restore into $database on 127.0.0.1:$MAIL_PG_PORT"
"$PG_BIN/pg_restore" -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d "$database" --no-owner --exit-on-error "$src/mail.dump"

[[ -d $src/blobs ]] && cp -a "$src/blobs" "$target/blobs"
for item in "$src"/secrets/*; do
    [[ -e $item ]] && cp -a "$item" "$target/"
done
chmod -R go-rwx "$target/blobs" "$target"/*.key "$target/admin-token" 2>/dev/null || true

expected="$(sed -n 2p "$src/MANIFEST")"
actual="$(psql_ -d "$database" -c "select format('accounts %s, messages %s, tenant keys %s', (select count(*) from directory_accounts), (select count(*) from mailbox_messages), (select count(*) from tenant_keys))")"
[[ $expected == "$actual" ]] || die "restored rows ($actual) differ from the backup's ($expected)"
log "restored into $target (database $database on port $MAIL_PG_PORT): $actual"
[[ -f $target/master.key ]] || warn "the backup holds no master key: set MAIL_MASTER_KEY_FILE to the one kept apart"
