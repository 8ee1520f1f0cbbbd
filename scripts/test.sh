#!/usr/bin/env bash
# The README's test command: installs what is missing (Debian 12), checks
# formatting, builds twice (Release with -Werror, Debug with AddressSanitizer
# and UBSan) and runs every test through ctest in both.
#   scripts/test.sh            everything
#   CMR_TEST_QUICK=1 scripts/test.sh   the Release build only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source scripts/deps.sh
deps_install test

jobs=$(nproc 2>/dev/null || echo 2)
echo "== format check"
bash scripts/format.sh --check

build_and_test() { # DIR CMAKE_ARGS...
  local dir=$1; shift
  echo "== build $dir ($*)"
  cmake -S "$root" -B "$root/$dir" -DBUILD_TESTING=ON "$@" >/dev/null
  cmake --build "$root/$dir" -j "$jobs" >/dev/null
  echo "== test $dir"
  (cd "$root/$dir" && ctest --output-on-failure -j "$jobs" --timeout 900)
}

build_and_test build-release -DCMAKE_BUILD_TYPE=Release -DCMR_WERROR=ON
if [ -z "${CMR_TEST_QUICK:-}" ]; then
  build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DCMR_WERROR=ON \
    -DCMR_SANITIZE=address,undefined
fi
echo "== all tests passed"
