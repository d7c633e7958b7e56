#!/usr/bin/env bash
# Azurite (Azure Storage emulator), blob, queue and table services: infra/azurite.sh start|stop
#
# Installed once with npm into infra/.tools/azurite (gitignored). Pinned to 3.35.0 because
# 3.36+ needs Node 22 and the machine has Node 20. The blob service listens on 127.0.0.1:$MAIL_AZURITE_PORT
# (default 10000), the queue service on $MAIL_AZURITE_QUEUE_PORT (default blob + 1) and the table service
# (Orleans' Azure Table membership) on $MAIL_AZURITE_TABLE_PORT (default blob + 2); data, log and pid file
# in $MAIL_DATA_DIR/azurite.
#   --skipApiVersionCheck  Azure.Storage.Blobs sends a newer API version than 3.35 knows
#   --disableTelemetry     otherwise Azurite tries to reach a telemetry service off the machine
#   --loose                ignore unsupported headers instead of failing the request
# Account: devstoreaccount1 with the well-known development key (see infra/test.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

AZURITE_VERSION=3.35.0
MAIL_AZURITE_PORT="${MAIL_AZURITE_PORT:-10000}"
MAIL_AZURITE_QUEUE_PORT="${MAIL_AZURITE_QUEUE_PORT:-$((MAIL_AZURITE_PORT + 1))}"
MAIL_AZURITE_TABLE_PORT="${MAIL_AZURITE_TABLE_PORT:-$((MAIL_AZURITE_PORT + 2))}"
TOOLS_DIR="$REPO_ROOT/infra/.tools/azurite"
AZURITE_BIN="$TOOLS_DIR/node_modules/.bin/azurite"
AZ_DIR="$MAIL_DATA_DIR/azurite"
AZ_PID="$AZ_DIR/azurite.pid"
AZ_LOG="$AZ_DIR/azurite.log"

installed_version() {
    node -p "require('$TOOLS_DIR/node_modules/azurite/package.json').version" 2>/dev/null || true
}

ensure_installed() {
    command -v node >/dev/null 2>&1 || die "node is not installed (ensure_packages installs it)"
    if [[ -f $AZURITE_BIN && "$(installed_version)" == "$AZURITE_VERSION" ]]; then
        return 0
    fi
    command -v npm >/dev/null 2>&1 || die "npm is not installed"
    log "installing azurite@$AZURITE_VERSION into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
        "azurite@$AZURITE_VERSION" >&2
    [[ -f $AZURITE_BIN ]] || die "npm install of azurite@$AZURITE_VERSION did not produce $AZURITE_BIN"
}

cmd_start() {
    local port
    ensure_installed
    mkdir -p "$AZ_DIR"
    if live_pid_from_file "$AZ_PID" azurite >/dev/null; then
        log "Azurite already running (pid $(live_pid_from_file "$AZ_PID" azurite))"
    else
        rm -f "$AZ_PID"
        for port in "$MAIL_AZURITE_PORT" "$MAIL_AZURITE_QUEUE_PORT" "$MAIL_AZURITE_TABLE_PORT"; do
            if port_open "$port"; then
                die "port $port is already in use by another process; set MAIL_AZURITE_PORT (blob; queue and table follow it)"
            fi
        done
        log "starting Azurite on 127.0.0.1: blob $MAIL_AZURITE_PORT, queue $MAIL_AZURITE_QUEUE_PORT, table $MAIL_AZURITE_TABLE_PORT (log: $AZ_LOG)"
        # Own session: a Ctrl-C meant for the silo in infra/run.sh must not kill Azurite
        # before run.sh stops it. setsid execs in place here, so $! is the PID of node.
        setsid "$AZURITE_BIN" \
            --blobHost 127.0.0.1 --blobPort "$MAIL_AZURITE_PORT" \
            --queueHost 127.0.0.1 --queuePort "$MAIL_AZURITE_QUEUE_PORT" \
            --tableHost 127.0.0.1 --tablePort "$MAIL_AZURITE_TABLE_PORT" \
            --location "$AZ_DIR" \
            --skipApiVersionCheck --disableTelemetry --loose \
            </dev/null >>"$AZ_LOG" 2>&1 &
        echo $! >"$AZ_PID"
    fi
    local pid i
    pid="$(head -n1 "$AZ_PID" | tr -dc '0-9')"
    for ((i = 0; i < 120; i++)); do
        port_open "$MAIL_AZURITE_PORT" && port_open "$MAIL_AZURITE_QUEUE_PORT" && port_open "$MAIL_AZURITE_TABLE_PORT" && break
        # kill -0, not the command line: while setsid, env and node exec one another, /proc/PID/cmdline
        # can read empty for an instant, which once made a healthy start look like an exit.
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$AZ_LOG" >&2 || true
            die "Azurite exited during start-up"
        fi
        sleep 0.5
    done
    for port in "$MAIL_AZURITE_PORT" "$MAIL_AZURITE_QUEUE_PORT" "$MAIL_AZURITE_TABLE_PORT"; do
        port_open "$port" || die "Azurite is not listening on 127.0.0.1:$port (log: $AZ_LOG)"
    done
    log "Azurite ready: blobs http://127.0.0.1:$MAIL_AZURITE_PORT/devstoreaccount1, tables http://127.0.0.1:$MAIL_AZURITE_TABLE_PORT/devstoreaccount1"
}

cmd_stop() {
    local pid i
    if ! pid="$(live_pid_from_file "$AZ_PID" azurite)"; then
        log "Azurite not running"
        rm -f "$AZ_PID"
        return 0
    fi
    log "stopping Azurite (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
        live_pid_from_file "$AZ_PID" azurite >/dev/null || break
        sleep 0.5
    done
    if live_pid_from_file "$AZ_PID" azurite >/dev/null; then
        warn "Azurite did not stop within 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$AZ_PID"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
