#!/usr/bin/env bash
# Dovecot's imaptest (https://github.com/dovecot/imaptest) against a running server: the independent IMAP
# conformance run of the README's IMAP section. Builds imaptest outside the repo and starts no server.
#
#   infra/imaptest.sh build SRC      build SRC/src/imaptest from an imaptest git checkout in SRC (outside the repo)
#   infra/imaptest.sh scripted       run imaptest's scripted suite (SRC/src/tests) once
#   infra/imaptest.sh stress         run the stress mode (clients, random commands, state checks)
#
# Environment:
#   IMAPTEST_SRC       the imaptest checkout (required for every command)
#   IMAPTEST_COMMIT    commit `build` checks out (default 924f619, the last that builds against Dovecot 2.3)
#   IMAPTEST_HOST      default 127.0.0.1
#   IMAPTEST_PORT      default 2143 (plaintext: start the server with Mail__Imap__AllowPlaintextAuth=true)
#   IMAPTEST_USER      default alice@example.test (the demo user of infra/run.sh)
#   IMAPTEST_PASS      default demo-password
#   IMAPTEST_MBOX      stress: messages to append (default: imaptest's own test messages, each given a unique
#                      Message-ID, because imaptest treats two messages with one Message-ID as the same message)
#   IMAPTEST_CLIENTS   stress: concurrent clients (default 10)
#   IMAPTEST_SECS      stress: seconds (default 30)
#   IMAPTEST_ARGS      stress: more imaptest arguments, e.g. "search=50 sort=30" (default none: its default mix)
#
# `build` installs, from the machine's packages: dovecot-dev (2.3 headers and dovecot-config) and the build tools;
# libdovecot itself comes from the dovecot-core package, unpacked next to SRC rather than installed (installing it
# would start a Dovecot service). Exit code: imaptest's (non-zero when it reports a failure or an error).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command=${1:-}
src=${IMAPTEST_SRC:-${2:-}}
[[ -n $src ]] || die "set IMAPTEST_SRC (or give the imaptest checkout as the second argument)"
src=$(cd "$src" && pwd -P)
[[ $src != "$REPO_ROOT"* ]] || die "build imaptest outside the repository, not in $src"
libdir="$(dirname "$src")/dovecot-core/usr/lib/dovecot"
host=${IMAPTEST_HOST:-127.0.0.1}
port=${IMAPTEST_PORT:-2143}
user=${IMAPTEST_USER:-alice@example.test}
pass=${IMAPTEST_PASS:-demo-password}

build() {
    ensure_packages dovecot-dev autoconf automake libtool pkg-config make gcc libssl-dev
    if [[ ! -e $libdir/libdovecot.so ]]; then
        local debs
        debs=$(mktemp -d)
        (cd "$debs" && apt-get download dovecot-core >/dev/null)
        dpkg-deb -x "$debs"/dovecot-core_*.deb "$(dirname "$src")/dovecot-core"
        rm -rf "$debs"
    fi
    git -C "$src" checkout -q "${IMAPTEST_COMMIT:-924f619}"
    # Debian's 2.3.19 headers give imap_parser_create() a fourth argument (parser parameters; NULL is the default).
    if grep -q 'imap_parser_params \*params' /usr/include/dovecot/imap-parser.h; then
        sed -i 's/imap_parser_create(\(.*\), (size_t)-1)/imap_parser_create(\1, (size_t)-1, NULL)/' "$src"/src/*.c
    fi
    (cd "$src" && ./autogen.sh >/dev/null && ./configure --with-dovecot=/usr/lib/dovecot >/dev/null &&
        make -j"$(nproc)" LIBDOVECOT="-L$libdir -ldovecot -Wl,-rpath,$libdir" >/dev/null)
    log "built $src/src/imaptest"
}

# imaptest's test messages with a fresh Message-ID each, as an mbox.
default_mbox() {
    local mbox="$src/unique-ids.mbox"
    awk '
        /^From / { count++; print; header = 1; next }
        header && /^[Mm]essage-[Ii][Dd]:/ { next }
        header && /^$/ { printf "Message-ID: <imaptest-%d@example.test>\n", count; header = 0 }
        { print }
    ' "$src"/src/tests/*.mbox >"$mbox"
    echo "$mbox"
}

binary="$src/src/imaptest"
case $command in
    build) build ;;
    scripted)
        [[ -x $binary ]] || die "build first: infra/imaptest.sh build $src"
        exec "$binary" host="$host" port="$port" user="$user" pass="$pass" test="$src/src/tests"
        ;;
    stress)
        [[ -x $binary ]] || die "build first: infra/imaptest.sh build $src"
        mbox=${IMAPTEST_MBOX:-$(default_mbox)}
        # shellcheck disable=SC2086  # IMAPTEST_ARGS is a list of imaptest arguments
        exec "$binary" host="$host" port="$port" user="$user" pass="$pass" mbox="$mbox" \
            clients="${IMAPTEST_CLIENTS:-10}" secs="${IMAPTEST_SECS:-30}" ${IMAPTEST_ARGS:-}
        ;;
    *) die "usage: infra/imaptest.sh build|scripted|stress (see the header of this script)" ;;
esac
