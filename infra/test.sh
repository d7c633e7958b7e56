#!/usr/bin/env bash
# The test command: infra/test.sh [extra dotnet test arguments, e.g. --filter Name~Smtp]
#
# Installs what is missing (Debian packages with Chromium, Azurite, the console's npm packages), starts a PostgreSQL test server and
# Azurite, builds Mail.sln in Release, runs every test project, stops the services again
# (also on failure or Ctrl-C) and ends with one line:
#     tests: N passed, N failed, N skipped
#
# Environment:
#   MAIL_DATA_DIR      default $REPO_ROOT/.data/test: separate from the run data in .data
#   MAIL_PG_PORT       default 55433; MAIL_AZURITE_PORT default 10010 (blob; queue 10011, table 10012: apart from
#                      run.sh's 10000-10002, so both can run at once)
# Given to the tests:
#   MAIL_TEST_PG       server connection string without a database: tests create one
#                      database per test class on it
#   MAIL_TEST_AZURITE  connection string of Azurite (blob, queue and table endpoints)
#   MAIL_DATA_DIR
# Output of build and tests is kept in $MAIL_DATA_DIR/test.log.
#
# Exit code: dotnet's when the build or a test fails, 1 when no test ran, 0 otherwise.
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
MAIL_DATA_DIR="${MAIL_DATA_DIR:-$INFRA_DIR/../.data/test}"
source "$INFRA_DIR/lib.sh"

# Sums the per-assembly result lines of `dotnet test` (VSTest console logger), e.g.
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 3 s - X.dll (net10.0)
#   Failed!  - Failed:     1, Passed:    11, Skipped:     0, Total:    12, Duration: 3 s - Y.dll (net10.0)
# and prints "passed failed skipped".
sum_test_results() {
    sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g' "$1" | awk '
        /(Passed|Failed)![[:space:]]+-[[:space:]]+Failed:[[:space:]]*[0-9]+,/ {
            line = $0
            sub(/.*(Passed|Failed)![[:space:]]+-[[:space:]]+/, "", line)
            n = split(line, parts, ",")
            for (i = 1; i <= n; i++) {
                split(parts[i], kv, ":")
                key = kv[1]; gsub(/[[:space:]]/, "", key)
                if (key == "Failed") failed += kv[2]
                else if (key == "Passed") passed += kv[2]
                else if (key == "Skipped") skipped += kv[2]
            }
        }
        END { printf "%d %d %d\n", passed, failed, skipped }'
}

main() {
    export MAIL_PG_PORT="${MAIL_PG_PORT:-55433}"
    export MAIL_AZURITE_PORT="${MAIL_AZURITE_PORT:-10010}"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    # The summary is parsed from dotnet's output: keep it in English.
    export DOTNET_CLI_UI_LANGUAGE=en

    # One test run per data directory at a time: a second run would share, then stop, the
    # first one's PostgreSQL. fd 9 holds the lock and is closed for every child (9>&-) so
    # a server left behind cannot keep holding it.
    exec 9>"$MAIL_DATA_DIR/test.lock"
    if ! flock -n 9; then
        log "another infra/test.sh is using $MAIL_DATA_DIR; waiting for it"
        flock 9
    fi

    local build_args=()
    if [[ ${CI:-} == true ]]; then
        # No compiler or MSBuild servers outliving the job on a throw-away CI machine.
        build_args+=(--disable-build-servers)
        export MSBUILDDISABLENODEREUSE=1
    fi

    trap stop_services EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    # python3-dkim (python3-nacl for Ed25519, python3-authres for ARC) signs and checks DKIM independently
    # of MimeKit; publicsuffix is the list DMARC finds organizational domains with.
    # chromium (Debian's) is the browser the Playwright tests drive; Playwright never downloads one (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
    local browser=()
    [[ -x /usr/bin/chromium ]] || browser=(chromium)
    ensure_packages python3-dkim python3-nacl python3-authres publicsuffix "${browser[@]}" 9>&-
    ensure_node_modules 9>&-
    bash "$INFRA_DIR/pg.sh" start 9>&-
    bash "$INFRA_DIR/azurite.sh" start 9>&-
    # For anything that runs a silo on the test data directory; test fixtures write their own into their directories.
    ensure_master_key

    export MAIL_TEST_PG="Host=127.0.0.1;Port=$MAIL_PG_PORT;Username=mail;Maximum Pool Size=50"
    export MAIL_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$MAIL_AZURITE_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((MAIL_AZURITE_PORT + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((MAIL_AZURITE_PORT + 2))/devstoreaccount1;"

    local test_log="$MAIL_DATA_DIR/test.log"
    : >"$test_log"
    cd "$REPO_ROOT"

    local build_rc=0 test_rc=0
    log "dotnet build Mail.sln -c Release"
    dotnet build Mail.sln -c Release "${build_args[@]}" 9>&- 2>&1 | tee -a "$test_log" || build_rc=$?
    if ((build_rc == 0)); then
        log "dotnet test Mail.sln -c Release --no-build $*"
        dotnet test Mail.sln -c Release --no-build "$@" 9>&- 2>&1 | tee -a "$test_log" || test_rc=$?
    fi

    stop_services
    trap - EXIT

    local passed failed skipped
    read -r passed failed skipped < <(sum_test_results "$test_log")
    if ((build_rc != 0)); then
        log "error: build failed (exit $build_rc); output in $test_log"
    elif ((test_rc != 0)); then
        log "error: dotnet test failed (exit $test_rc); output in $test_log"
    elif ((passed + failed + skipped == 0)); then
        log "error: no tests ran (no test projects with tests, or the filter matched nothing); output in $test_log"
    fi
    echo "tests: $passed passed, $failed failed, $skipped skipped"

    ((build_rc == 0)) || exit "$build_rc"
    ((test_rc == 0)) || exit "$test_rc"
    ((passed + failed + skipped > 0)) || exit 1
    ((failed == 0)) || exit 1
}

stop_services() {
    bash "$INFRA_DIR/azurite.sh" stop 9>&- || warn "could not stop Azurite"
    bash "$INFRA_DIR/pg.sh" stop 9>&- || warn "could not stop PostgreSQL"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
