#!/usr/bin/env bash
# Installs the Debian 12 packages cmr needs, when any is missing. Sourced by
# demo.sh and test.sh: `deps_install build` or `deps_install test`.
# As root it runs apt-get; otherwise it prints the exact command and stops.

CMR_BUILD_PKGS=(build-essential cmake pkg-config
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data
  libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite
  libjansson-dev libcairo2-dev libpango1.0-dev libglib2.0-dev
  fonts-dejavu-core)
CMR_TEST_PKGS=(libcmocka-dev clang-format sqlite3
  postgresql postgresql-15-postgis-3 postgresql-client
  chromium poppler-utils time bc)

deps_install() {
  local want=("${CMR_BUILD_PKGS[@]}")
  [ "${1:-build}" = test ] && want+=("${CMR_TEST_PKGS[@]}")
  local missing=()
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "cmr needs these Debian packages: ${missing[*]}" >&2
    echo "run as root:  $cmd" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
