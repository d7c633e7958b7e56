# shellcheck shell=bash
# Shared by the infra/ scripts; source it, do not run it.
#
# Sets REPO_ROOT and MAIL_DATA_DIR (absolute; default $REPO_ROOT/.data, created if absent)
# and provides logging, package installation and helpers to run PostgreSQL as its own user.
#
# Environment read here:
#   MAIL_DATA_DIR   where run data lives (PostgreSQL cluster, blobs, Azurite, TLS, logs)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export REPO_ROOT

PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '[infra] %s\n' "$*" >&2; }
warn() { printf '[infra] warning: %s\n' "$*" >&2; }
die() {
    printf '[infra] error: %s\n' "$*" >&2
    exit 1
}

mail_data_dir_init() {
    MAIL_DATA_DIR="${MAIL_DATA_DIR:-$REPO_ROOT/.data}"
    mkdir -p "$MAIL_DATA_DIR"
    MAIL_DATA_DIR="$(cd "$MAIL_DATA_DIR" && pwd -P)"
    export MAIL_DATA_DIR
}
mail_data_dir_init

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Installs the Debian packages the dev services need, plus any named as arguments (test.sh's
# test tools), touching apt only when one is missing, so a second run costs nothing and works offline.
ensure_packages() {
    local missing=() p
    for p in postgresql-15 openssl ca-certificates curl "$@"; do
        package_installed "$p" || missing+=("$p")
    done
    # Node 20 ships with the image (with its own npm); Debian's nodejs/npm are only the
    # fallback, because Debian's npm conflicts with a NodeSource node.
    if ! command -v node >/dev/null 2>&1; then
        missing+=(nodejs npm)
    fi
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    log "installing Debian packages: ${missing[*]}"
    if ! package_installed postgresql-15; then
        # The package would otherwise create and start a system cluster on port 5432 that
        # nothing here uses; our cluster lives in $MAIL_DATA_DIR/pg.
        as_root mkdir -p /etc/postgresql-common/createcluster.d
        echo 'create_main_cluster = false' |
            as_root tee /etc/postgresql-common/createcluster.d/mail-dev.conf >/dev/null
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
    [[ -x $PG_BIN/postgres ]] || die "postgresql-15 installed but $PG_BIN/postgres is missing"
}

# npm projects whose files the build embeds (the operator console's Chart.js, the webmail). `npm ci` installs exactly
# what the lock file names; it runs only when the lock file's hash differs from the one stamped into node_modules by
# the last install, so a second run costs nothing and works offline.
NPM_PROJECTS=(Frontends/Mail.Frontends.Http/ops Frontends/Mail.Webmail)

ensure_node_modules() {
    local project dir
    command -v npm >/dev/null 2>&1 || die "npm is not installed (ensure_packages installs it)"
    for project in "${NPM_PROJECTS[@]}"; do
        dir="$REPO_ROOT/$project"
        if [[ -f $dir/node_modules/.mail-lock && $(cat "$dir/node_modules/.mail-lock") == "$(sha256sum <"$dir/package-lock.json")" ]]; then
            continue
        fi
        log "npm ci in $project"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in $project"
        sha256sum <"$dir/package-lock.json" >"$dir/node_modules/.mail-lock"
    done
    ensure_webmail_build
}

# The webmail's Vite build (dist/, embedded by Mail.Frontends.Http), redone only when its sources, configuration or
# installed packages changed since the build stamped into dist/.
ensure_webmail_build() {
    local dir="$REPO_ROOT/Frontends/Mail.Webmail" hash
    hash="$(cd "$dir" && find src index.html vite.config.ts svelte.config.js tsconfig.json package-lock.json -type f -print0 |
        sort -z | xargs -0 sha256sum | sha256sum)"
    if [[ -f $dir/dist/.mail-build && $(cat "$dir/dist/.mail-build") == "$hash" ]]; then
        return 0
    fi
    log "npm run build in Frontends/Mail.Webmail"
    (cd "$dir" && npm run build --silent >&2) || die "the webmail build failed in $dir"
    echo "$hash" >"$dir/dist/.mail-build"
}

# PostgreSQL refuses to run as root, so as root the cluster belongs to the 'postgres' system
# user; as any other user it simply belongs to that user.
pg_os_user() {
    if [[ $EUID -eq 0 ]]; then echo postgres; else id -un; fi
}

ensure_pg_os_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user postgres"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin postgres
    fi
}

# Runs from / because the caller's working directory may be unreadable for 'postgres'; every
# path handed to PostgreSQL's tools is absolute.
as_pg_user() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# The repository may live under /root (mode 700) or another private directory. PostgreSQL,
# running as 'postgres', must be able to reach its data directory: grant search (x, not read)
# permission to others on exactly the ancestors that lack it, and say so.
ensure_pg_can_reach() {
    local target="$1" dir
    [[ $EUID -eq 0 ]] || return 0
    as_pg_user test -x "$target" 2>/dev/null && return 0
    dir="$target"
    local ancestors=()
    while [[ $dir != / ]]; do
        dir="$(dirname "$dir")"
        ancestors=("$dir" "${ancestors[@]}")
    done
    for dir in "${ancestors[@]}"; do
        if ! as_pg_user test -x "$dir" 2>/dev/null; then
            log "granting o+x on $dir so user postgres can reach $target"
            chmod o+x "$dir"
        fi
    done
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The first PID in $1 if it is a live process whose command line contains $2.
live_pid_from_file() {
    local file="$1" pattern="$2" pid
    [[ -f $file ]] || return 1
    pid="$(head -n1 "$file" 2>/dev/null | tr -dc '0-9')"
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern" || return 1
    echo "$pid"
}

# Creates the master key file that wraps the tenant keys when it is missing: $MAIL_MASTER_KEY_FILE
# (relative to the data directory, as the silo reads it), default $MAIL_DATA_DIR/master.key; one version
# of 32 random bytes, mode 600. An existing file is never touched: a new key cannot read what the old one
# wraps. Nothing to do when the master key lives in Azure Key Vault (MAIL_MASTER_KEY_PROVIDER=keyvault).
ensure_master_key() {
    local file="${MAIL_MASTER_KEY_FILE:-master.key}" tmp
    [[ ${MAIL_MASTER_KEY_PROVIDER:-file} == file ]] || return 0
    [[ $file == /* ]] || file="$MAIL_DATA_DIR/$file"
    [[ -e $file ]] && return 0
    mkdir -p "$(dirname "$file")"
    tmp="$(umask 077 && mktemp "$file.XXXXXX")"
    printf '1:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" >"$tmp"
    chmod 600 "$tmp"
    # -n: when two runs race, the first key in place is the key.
    mv -n "$tmp" "$file"
    rm -f "$tmp"
    log "created the master key $file (mode 600); keep a copy apart from the data: without it nothing stored can be read"
}
