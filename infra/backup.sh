#!/usr/bin/env bash
# Backup: infra/backup.sh DEST
#
# Writes a consistent copy of one deployment's data into DEST (a new or empty directory):
#   mail.dump     pg_dump (custom format) of the mail database: one snapshot of every table, so accounts, mailbox rows,
#                 flags, change log, outbound queue, Orleans state and the wrapped tenant keys agree with each other
#   blobs/        the filesystem blob store, copied after the snapshot: a blob is durable before the row that names it
#                 commits, and a released blob is deleted only after Mail:Blobs:Collection:GraceMinutes (24 h), so every
#                 blob the snapshot names is there as long as the copy takes less than that grace
#   secrets/      admin-token, jwt-signing.key, tls/; and master.key unless MAIL_BACKUP_MASTER_KEY=0 (then keep the master
#                 key apart, as you should anyway: whoever holds it and the dump can read every message)
#   MANIFEST      when, from where, row counts, and sha256 of every file
# Azure Blob Storage deployments (MAIL_BLOB_STORE=azure) back their blobs up with the storage account's own point-in-time
# restore or object replication; this script then copies the database and secrets only.
#
# Environment:
#   MAIL_DATA_DIR        the deployment's data directory (default .data)
#   MAIL_PG_PORT         its PostgreSQL port (default 55432); MAIL_PG_DATABASE its database (default mail)
#   MAIL_BACKUP_MASTER_KEY  0 = leave the master key out of DEST
# Exit code: 0 when the backup is complete.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dest="${1:-}"
[[ -n $dest ]] || die "usage: $0 DEST"
MAIL_PG_PORT="${MAIL_PG_PORT:-55432}"
database="${MAIL_PG_DATABASE:-mail}"
if [[ -e $dest && -n "$(ls -A "$dest")" ]]; then die "$dest is not empty"; fi
mkdir -p "$dest"
dest="$(cd "$dest" && pwd -P)"

psql_() { PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -Atq -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d "$database" -v ON_ERROR_STOP=1 "$@"; }

log "pg_dump of $database on 127.0.0.1:$MAIL_PG_PORT"
"$PG_BIN/pg_dump" -h 127.0.0.1 -p "$MAIL_PG_PORT" -U mail -d "$database" -Fc -f "$dest/mail.dump"
counts="$(psql_ -c "select format('accounts %s, messages %s, tenant keys %s', (select count(*) from directory_accounts), (select count(*) from mailbox_messages), (select count(*) from tenant_keys))")"

if [[ -d $MAIL_DATA_DIR/blobs ]]; then
    log "copying the blob store"
    cp -a "$MAIL_DATA_DIR/blobs" "$dest/blobs"
fi
mkdir -p "$dest/secrets"
for item in admin-token jwt-signing.key tls keys; do
    [[ -e $MAIL_DATA_DIR/$item ]] && cp -a "$MAIL_DATA_DIR/$item" "$dest/secrets/"
done
if [[ ${MAIL_BACKUP_MASTER_KEY:-1} != 0 ]]; then
    key="${MAIL_MASTER_KEY_FILE:-master.key}"
    [[ $key == /* ]] || key="$MAIL_DATA_DIR/$key"
    [[ -f $key ]] && cp -a "$key" "$dest/secrets/master.key"
fi
chmod -R go-rwx "$dest"
{
    echo "backup of $MAIL_DATA_DIR, database $database on port $MAIL_PG_PORT, taken $(date -u +%FT%TZ)"
    echo "$counts"
    (cd "$dest" && find . -type f ! -name MANIFEST -print0 | sort -z | xargs -0 sha256sum)
} >"$dest/MANIFEST"
log "backup in $dest: $counts"
