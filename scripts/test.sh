#!/usr/bin/env bash
# `npm test`: the type check, ESLint and Prettier run beside Jest instead of before it, so their
# half minute overlaps Jest's minutes instead of adding to them.
# Jest's output streams as usual; each check's output is printed whole after it, with its result.
# Exits non-zero if any of the four failed. Arguments go to Jest (`npm test -- test/lib`).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=()
pids=()

check() {
  local name=$1
  shift
  names+=("$name")
  (
    start=$SECONDS
    "$@" >"$logs/$name.out" 2>&1
    status=$?
    echo $((SECONDS - start)) >"$logs/$name.seconds"
    exit "$status"
  ) &
  pids+=($!)
}

check tsc tsc --noEmit
check eslint eslint .
check prettier prettier --check .

jest --ci "$@"
jest_status=$?

failed=0
for i in "${!names[@]}"; do
  wait "${pids[$i]}"
  status=$?
  if [ "$status" -eq 0 ]; then result=passed; else result="FAILED (exit $status)"; failed=1; fi
  echo
  echo "── ${names[$i]}: $result in $(cat "$logs/${names[$i]}.seconds" 2>/dev/null || echo '?') s"
  cat "$logs/${names[$i]}.out"
done

echo
if [ "$jest_status" -ne 0 ]; then echo "── jest: FAILED (exit $jest_status)"; failed=1; else echo "── jest: passed"; fi
exit "$failed"
