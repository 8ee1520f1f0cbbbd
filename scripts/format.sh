#!/usr/bin/env bash
# Formats the C sources with the repository's .clang-format; with --check,
# changes nothing and fails if any file is not formatted.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard 'src/*.c' 'src/*.h' 'include/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null || true)
[ ${#files[@]} -gt 0 ] || { echo "format: no files"; exit 0; }
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files formatted"
else
  clang-format -i "${files[@]}"
fi
