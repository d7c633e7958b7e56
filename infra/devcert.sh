#!/usr/bin/env bash
# Self-signed development TLS certificate for the STARTTLS / implicit-TLS ports, HTTPS and the
# cluster's mutual TLS (Mail:Cluster:Tls: every silo and frontend of a dev cluster shares it).
#
# Writes, once, into $MAIL_DATA_DIR/tls:
#   dev.pfx  PKCS#12 with certificate and key, empty password (what the silo loads:
#            MAIL_TLS_CERT points here)
#   dev.crt  the certificate (PEM), to add to a client's trust store
#   dev.key  the private key (PEM, unencrypted, mode 600)
# RSA 2048 (every mail client accepts it), SAN localhost + 127.0.0.1, valid 825 days, usable
# as a server and as a client certificate (Orleans sends a client certificate only when its
# extended key usage allows clientAuth).
# A later run keeps the files, unless one is missing, the certificate expires within a day or
# it was made before it carried clientAuth.
# Development only: clients must be told to trust dev.crt or to skip validation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TLS_DIR="$MAIL_DATA_DIR/tls"
CRT="$TLS_DIR/dev.crt"
KEY="$TLS_DIR/dev.key"
PFX="$TLS_DIR/dev.pfx"

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (ensure_packages installs it)"

if [[ -s $CRT && -s $KEY && -s $PFX ]] && openssl x509 -in "$CRT" -noout -checkend 86400 >/dev/null 2>&1 \
    && openssl x509 -in "$CRT" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'TLS Web Client Authentication'; then
    log "dev TLS certificate present: $PFX"
    exit 0
fi

mkdir -p "$TLS_DIR"
chmod 700 "$TLS_DIR"
work="$(mktemp -d "$TLS_DIR/.new.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "generating dev TLS certificate in $TLS_DIR"
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 825 \
    -keyout "$work/dev.key" -out "$work/dev.crt" \
    -subj "/CN=localhost/O=Mail dev certificate" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
    -addext "extendedKeyUsage=serverAuth,clientAuth" 2>/dev/null
openssl pkcs12 -export -in "$work/dev.crt" -inkey "$work/dev.key" -name "mail-dev" \
    -out "$work/dev.pfx" -passout pass:
chmod 600 "$work/dev.key" "$work/dev.pfx"
chmod 644 "$work/dev.crt"
# The PFX is moved last: its presence marks a complete set.
mv -f "$work/dev.key" "$KEY"
mv -f "$work/dev.crt" "$CRT"
mv -f "$work/dev.pfx" "$PFX"
log "dev TLS certificate: $PFX ($(openssl x509 -in "$CRT" -noout -enddate))"
