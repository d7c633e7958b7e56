#!/usr/bin/env bash
# Fuzzing: infra/fuzz.sh [seconds-per-target] [target...]
#
# Runs the SharpFuzz harnesses of Tests/Mail.Fuzz under AFL++ (Debian's afl++), one target at a time, each for a
# bounded time (default 600 s), and prints one line per target:
#     fuzz: <target> executions=N crashes=N hangs=N paths=N seconds=N
# then the crashing inputs (replayed on an uninstrumented build, with the exception) when there are any.
# Targets (default: all, in this order): smtp imap pop3 data mime headercache (`Mail.Fuzz --list`).
#
# Installs what it needs when missing: Debian's afl++, the SharpFuzz.CommandLine tool (into infra/.tools). It publishes
# the harness into $MAIL_DATA_DIR/fuzz/bin, instruments our protocol and MIME assemblies and MimeKit there (the normal
# build output stays uninstrumented), seeds each target from Tests/Mail.Fuzz/corpus/<target> (and
# Tests/Mail.Fuzz/dictionaries/<target>.dict when present), and leaves AFL's findings in $MAIL_DATA_DIR/fuzz/findings.
# A crash found is a bug: add the input to a regression test (Tests/Mail.Protocol.Tests/FuzzRegressionTests.cs) and fix it.
#
# Not part of infra/test.sh: it takes as long as it is given. Exit code 1 when a target crashed or hung, else 0.
#
# Environment:
#   MAIL_DATA_DIR      default $REPO_ROOT/.data (fuzzing state goes into its fuzz/ folder)
#   MAIL_FUZZ_TIMEOUT_MS  per-input time limit before AFL calls it a hang (default 2000)
set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
source "$INFRA_DIR/lib.sh"

SHARPFUZZ_VERSION=2.3.0
# Assemblies whose code is traced: the parsers and decoders under test, and the MIME parser they rely on.
INSTRUMENTED=(Mail.Frontends.Smtp.dll Mail.Frontends.Imap.dll Mail.Frontends.Pop3.dll Mail.Frontends.Hosting.dll
    Mail.Mime.dll Mail.Security.dll MimeKit.dll)

ensure_afl() {
    command -v afl-fuzz >/dev/null 2>&1 && return 0
    log "installing Debian package afl++"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends afl++ >/dev/null
    command -v afl-fuzz >/dev/null 2>&1 || die "afl++ installed but afl-fuzz is not on PATH"
}

ensure_sharpfuzz() {
    SHARPFUZZ="$INFRA_DIR/.tools/sharpfuzz"
    [[ -x $SHARPFUZZ ]] && return 0
    log "installing SharpFuzz.CommandLine $SHARPFUZZ_VERSION into infra/.tools"
    dotnet tool install SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" --tool-path "$INFRA_DIR/.tools" >/dev/null
}

# Publishes the harness afresh (an instrumented assembly must never be instrumented twice) and instruments it.
build_harness() {
    log "publishing Tests/Mail.Fuzz into $FUZZ_DIR/bin"
    rm -rf "$FUZZ_DIR/bin"
    dotnet publish "$REPO_ROOT/Tests/Mail.Fuzz/Mail.Fuzz.csproj" -c Release -o "$FUZZ_DIR/bin" >"$FUZZ_DIR/publish.log" 2>&1 ||
        die "publish failed; see $FUZZ_DIR/publish.log"
    local dll
    for dll in "${INSTRUMENTED[@]}"; do
        "$SHARPFUZZ" "$FUZZ_DIR/bin/$dll" >>"$FUZZ_DIR/publish.log" 2>&1 || die "could not instrument $dll; see $FUZZ_DIR/publish.log"
    done
    # The uninstrumented build replays crashing inputs (an instrumented assembly needs AFL's shared memory).
    dotnet build "$REPO_ROOT/Tests/Mail.Fuzz/Mail.Fuzz.csproj" -c Release >>"$FUZZ_DIR/publish.log" 2>&1 ||
        die "build failed; see $FUZZ_DIR/publish.log"
}

# A value from AFL's fuzzer_stats ("key : value"); 0 when absent.
stat_of() {
    local value
    value="$(awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null)"
    echo "${value:-0}"
}

fuzz_target() {
    local target=$1 seconds=$2
    local corpus="$REPO_ROOT/Tests/Mail.Fuzz/corpus/$target" dict="$REPO_ROOT/Tests/Mail.Fuzz/dictionaries/$target.dict"
    local out="$FUZZ_DIR/findings/$target"
    [[ -d $corpus ]] || die "no seed corpus at $corpus"
    rm -rf "$out"
    mkdir -p "$out"
    local args=(-i "$corpus" -o "$out" -V "$seconds" -t "${MAIL_FUZZ_TIMEOUT_MS:-2000}" -m none)
    [[ -f $dict ]] && args+=(-x "$dict")
    log "fuzzing $target for $seconds s"
    # AFL_SKIP_BIN_CHECK: the traced code is in the instrumented assemblies, not in the dotnet host.
    # AFL_NO_AFFINITY: the machine is shared; no core is ours to pin.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredPGO=0 \
        afl-fuzz "${args[@]}" -- dotnet "$FUZZ_DIR/bin/Mail.Fuzz.dll" "$target" >"$FUZZ_DIR/$target.log" 2>&1 ||
        warn "afl-fuzz for $target exited with $?; see $FUZZ_DIR/$target.log"
    local stats="$out/default/fuzzer_stats"
    local execs crashes hangs paths elapsed
    execs=$(stat_of "$stats" execs_done)
    crashes=$(stat_of "$stats" saved_crashes)
    [[ $crashes == 0 ]] && crashes=$(stat_of "$stats" unique_crashes)
    hangs=$(stat_of "$stats" saved_hangs)
    [[ $hangs == 0 ]] && hangs=$(stat_of "$stats" unique_hangs)
    paths=$(stat_of "$stats" corpus_count)
    [[ $paths == 0 ]] && paths=$(stat_of "$stats" paths_total)
    elapsed=$(($(stat_of "$stats" last_update) - $(stat_of "$stats" start_time)))
    echo "fuzz: $target executions=$execs crashes=$crashes hangs=$hangs paths=$paths seconds=$elapsed" | tee -a "$FUZZ_DIR/summary.txt"
    if ((crashes > 0)); then
        dotnet "$REPO_ROOT/Tests/Mail.Fuzz/bin/Release/net10.0/Mail.Fuzz.dll" "$target" "$out/default/crashes" || true
    fi
    ((crashes == 0 && hangs == 0))
}

main() {
    local seconds=${1:-600}
    [[ $seconds =~ ^[0-9]+$ ]] || die "usage: infra/fuzz.sh [seconds-per-target] [target...]"
    shift || true
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
    FUZZ_DIR="$MAIL_DATA_DIR/fuzz"
    mkdir -p "$FUZZ_DIR"
    ensure_afl
    ensure_sharpfuzz
    build_harness
    local targets=("$@")
    if ((${#targets[@]} == 0)); then
        mapfile -t targets < <(dotnet "$REPO_ROOT/Tests/Mail.Fuzz/bin/Release/net10.0/Mail.Fuzz.dll" --list)
    fi
    echo "# $(date -u +%FT%TZ) $seconds s per target" >>"$FUZZ_DIR/summary.txt"
    local failed=0 target
    for target in "${targets[@]}"; do
        fuzz_target "$target" "$seconds" || failed=1
    done
    return "$failed"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
