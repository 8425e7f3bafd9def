#!/usr/bin/env bash
# The one test command: installs what is missing, builds the solution once (Release), runs the .NET
# tests and the AWS SDK / CLI compatibility suite (tests/compat), and ends with "N passed, N failed".
# Exit code 0 only when nothing failed and at least one test ran.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
RESULTS="${TEST_RESULTS_DIR:-$ROOT/TestResults/run}"
COMPAT="$ROOT/tests/compat"
TRX="$RESULTS/dotnet.trx"
TAP="$RESULTS/compat.tap"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

say() { printf '==> %s\n' "$*"; }

# ---------------------------------------------------------------- install what is missing
apt_updated=0
apt_install() { # apt_install <package>: quietly, once per run for the update
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$RESULTS/apt.log" 2>&1 || true
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >>"$RESULTS/apt.log" 2>&1
}

install_compat_deps() {
  # npm ci when node_modules is missing or was installed from another package-lock.json.
  local stamp="$COMPAT/node_modules/.package-lock.sha256" want
  want="$(sha256sum "$COMPAT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "npm ci (tests/compat)"
  (cd "$COMPAT" && npm ci --no-audit --no-fund --loglevel=error >"$RESULTS/npm-ci.log" 2>&1) || {
    tail -n 30 "$RESULTS/npm-ci.log"
    return 1
  }
  echo "$want" >"$stamp"
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "installing nodejs and npm"
  apt_install nodejs || true
  apt_install npm || true
fi
compat_ready=1
if ! command -v node >/dev/null 2>&1; then
  echo "ERROR: node is not available; the compatibility suite cannot run"
  compat_ready=0
elif ! install_compat_deps; then
  echo "ERROR: npm ci failed in tests/compat (log: $RESULTS/npm-ci.log)"
  compat_ready=0
fi

ensure_command() { # ensure_command <command> <debian package> <what is skipped without it>
  command -v "$1" >/dev/null 2>&1 && return 0
  say "installing $2"
  apt_install "$2" || echo "WARNING: apt-get install $2 failed (log: $RESULTS/apt.log); $3"
}
ensure_command aws awscli "the AWS CLI tests will be skipped"
ensure_command xmlsec1 xmlsec1 "the SAML tests (responses signed by xmlsec1) will fail"
ensure_command redis-server redis-server "the Redis store tests cannot start a Redis (set REDIS_URL to use an existing one)"
if ! command -v moto_server >/dev/null 2>&1; then
  echo "NOTE: moto_server is not on PATH (PyPI is not reachable here); tests that need it will skip"
fi

# ---------------------------------------------------------------- build once
say "dotnet build IdentityBroker.sln -c Release"
build_ok=1
if ! dotnet build IdentityBroker.sln -c Release -nologo -v quiet -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1; then
  build_ok=0
  echo "BUILD FAILED: dotnet build IdentityBroker.sln -c Release (full log: $RESULTS/build.log)"
  grep -E 'error [A-Z]+[0-9]+' "$RESULTS/build.log" | sort -u | head -n 40 || tail -n 40 "$RESULTS/build.log"
fi

# ---------------------------------------------------------------- run the suites
dotnet_rc=0
compat_rc=0
if [ "$build_ok" = 1 ]; then
  say "dotnet test (Release, --no-build)"
  dotnet test IdentityBroker.sln -c Release --no-build -nologo -v quiet \
    --logger "trx;LogFileName=$(basename "$TRX")" --results-directory "$RESULTS" \
    >"$RESULTS/dotnet-test.log" 2>&1 || dotnet_rc=$?
  grep -E '^\s*(Failed|Error Message|Passed!|Failed!|Total tests)' "$RESULTS/dotnet-test.log" | head -n 60 || true

  if [ "$compat_ready" = 1 ]; then
    say "node --test (tests/compat)"
    (cd "$COMPAT" && node --test --test-concurrency=1 --test-timeout=180000 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$TAP" \
      test/) >"$RESULTS/compat.log" 2>&1 || compat_rc=$?
    # Name the failed tests (the spec reporter lists them at the end) and show the first error in full.
    if grep -q '^✖ failing tests:' "$RESULTS/compat.log"; then
      echo "compat failures (details in $RESULTS/compat.log):"
      sed -n '/^✖ failing tests:/,$p' "$RESULTS/compat.log" | grep -E '^✖ ' | grep -v 'failing tests:' | head -n 80 || true
      echo "first failure:"
      sed -n '/^✖ failing tests:/,$p' "$RESULTS/compat.log" \
        | awk 'NR > 2 && /^test at / { if (seen++) exit } NR > 2 { print }' | head -n 40 || true
    fi
  fi
fi

# ---------------------------------------------------------------- parse both result files
total_pass=0 total_fail=0 total_skip=0
summary=()

trx_counter() { # trx_counter <attribute>: the value from <Counters .../>, 0 when absent
  grep -o "<Counters [^>]*" "$TRX" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0
}

if [ "$build_ok" = 0 ]; then
  summary+=("build: FAILED (counted as 1 failure)")
  total_fail=$((total_fail + 1))
elif [ -f "$TRX" ]; then
  p=$(trx_counter passed); f=$(( $(trx_counter failed) + $(trx_counter error) + $(trx_counter timeout) + $(trx_counter aborted) ))
  s=$(trx_counter notExecuted)
  summary+=("dotnet: $p passed, $f failed, $s skipped")
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
  if [ "$dotnet_rc" != 0 ] && [ "$f" = 0 ]; then
    summary+=("dotnet: test run exited $dotnet_rc with no failed test (see $RESULTS/dotnet-test.log); counted as 1 failure")
    total_fail=$((total_fail + 1))
  fi
else
  summary+=("dotnet: no result file $TRX (dotnet test exited $dotnet_rc; see $RESULTS/dotnet-test.log); counted as 1 failure")
  total_fail=$((total_fail + 1))
fi

tap_count() { # tap_count <word>: the number on the runner's closing "# <word> N" line, 0 when absent
  grep -E "^# $1 [0-9]+$" "$TAP" | tail -n 1 | grep -o '[0-9]\+$' || echo 0
}

if [ "$build_ok" = 1 ]; then
  if [ "$compat_ready" = 0 ]; then
    summary+=("compat: not run (dependencies missing); counted as 1 failure")
    total_fail=$((total_fail + 1))
  elif [ -f "$TAP" ] && grep -qE '^# tests [0-9]+$' "$TAP"; then
    p=$(tap_count pass); f=$(( $(tap_count fail) + $(tap_count cancelled) )); s=$(( $(tap_count skipped) + $(tap_count todo) ))
    summary+=("compat: $p passed, $f failed, $s skipped (log: $RESULTS/compat.log)")
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
    if [ "$compat_rc" != 0 ] && [ "$f" = 0 ]; then
      summary+=("compat: node --test exited $compat_rc with no failed test; counted as 1 failure")
      total_fail=$((total_fail + 1))
    fi
  else
    summary+=("compat: no TAP summary in $TAP (node exited $compat_rc; see $RESULTS/compat.log); counted as 1 failure")
    total_fail=$((total_fail + 1))
  fi
fi

echo
echo "Summary"
for line in "${summary[@]}"; do echo "  $line"; done
final="$total_pass passed, $total_fail failed"
[ "$total_skip" -gt 0 ] && final="$final, $total_skip skipped"
echo "$final"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
