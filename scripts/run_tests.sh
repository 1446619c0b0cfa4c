#!/usr/bin/env bash
# The test suites of `make test` (which trains or checks the model first), in two lanes
# that run at the same time:
#   services: the engine's tests, the knowledge-base tests on PostgreSQL, and the
#             production configuration (PostgreSQL, Redis, the two-instance cluster, faults);
#   app:      every other test of the app environment (gateway, widget, console, stack).
# The lanes share nothing (their own databases, ports and Redis keys). Much of each
# lane is waiting (browsers, servers starting, conversations), so on two cores they
# finish in about the time of the longer one. Each lane's lines carry its name; the
# script fails if either lane does, and says which.
set -uo pipefail
cd "$(dirname "$0")/.."
APP=.venvs/app/bin
ENGINE=.venvs/engine/bin
: "${TEST_POSTGRES_URL:=postgresql+psycopg://postgres@127.0.0.1:5432/test}"
: "${TEST_REDIS_URL:=redis://127.0.0.1:6379/15}"
LOGS=var/test-logs
# `make test` trains (or checks) the model just before: the test sessions need not check again.
export MODEL_CHECKED=1
mkdir -p "$LOGS"

services_lane() {
  set -e
  "$ENGINE/python" -m pytest tests/engine
  if "$APP/python" -c "import psycopg; psycopg.connect('${TEST_POSTGRES_URL/postgresql+psycopg/postgresql}', connect_timeout=3).close()" 2>/dev/null; then
    echo "==> knowledge-base tests on PostgreSQL"
    TEST_POSTGRES_URL="$TEST_POSTGRES_URL" "$APP/python" -m pytest tests/knowledge tests/metrics
  elif [ "${CI:-}" = true ]; then
    echo "error: PostgreSQL is not reachable at $TEST_POSTGRES_URL"
    return 1
  else
    echo "warning: PostgreSQL not reachable at $TEST_POSTGRES_URL: knowledge tests run on SQLite only"
  fi
  echo "==> production configuration on PostgreSQL and Redis ($TEST_REDIS_URL); skipped if unreachable, except on CI"
  TEST_POSTGRES_URL="$TEST_POSTGRES_URL" TEST_REDIS_URL="$TEST_REDIS_URL" "$APP/python" -m pytest tests/production
}

app_lane() {  # on SQLite; PostgreSQL is the services lane's (a fault test restarts it)
  env -u TEST_POSTGRES_URL -u TEST_REDIS_URL "$APP/python" -m pytest --ignore=tests/production
}

lane() {  # name function: run it, every line prefixed with the lane's name
  local name=$1
  shift
  { ("$@") 2>&1; echo "$?" >"$LOGS/lane-$name.status"; } | sed -u "s/^/[$name] /"
}

rm -f "$LOGS"/lane-*.status
started=$(date +%s)
lane services services_lane &
services=$!
lane app app_lane &
app=$!
wait "$services" "$app"
failed=()
for name in services app; do
  status=$(cat "$LOGS/lane-$name.status" 2>/dev/null || echo 1)
  [ "$status" = 0 ] || failed+=("$name (exit $status)")
done
echo "==> tests took $(($(date +%s) - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "==> FAILED: ${failed[*]}; see the lines marked with the lane's name above"
  exit 1
fi
echo "==> every test lane passed"
