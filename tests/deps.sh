#!/bin/sh
# Install the Debian packages tracegroup builds and tests with, when missing.
# Silent when everything is present; says what it installs otherwise.
# Usage: tests/deps.sh [test]   ("test" adds the tools the test suite drives)
set -e
missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
have() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have ncursesw || missing="$missing libncurses-dev"
have sqlite3  || missing="$missing libsqlite3-dev"
have libcjson || missing="$missing libcjson-dev"
have cmocka   || missing="$missing libcmocka-dev"
have zlib     || missing="$missing zlib1g-dev"
if [ "${1:-}" = test ]; then
    command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
    command -v clang >/dev/null 2>&1 || missing="$missing clang"
    # libFuzzer's runtime, for the short fuzz runs.
    dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
fi
[ -z "$missing" ] && exit 0
echo "tracegroup: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing >&2
