#!/usr/bin/env bash
# What the validation's tests and benchmark need besides the Python packages: Debian's jing
# (the reference RelaxNG validator the tests and benchmarks/validate_bench.py compare with).
# Nothing for "build": validation itself runs on lxml and saxonche. Idempotent and quiet.
set -euo pipefail
mode="${1:-build}"
[ "$mode" = "test" ] || exit 0
command -v jing >/dev/null 2>&1 && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "setup.d/validate.sh: jing is missing; install the Debian package jing as root" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { apt-cache show jing >/dev/null 2>&1 || $SUDO apt-get update -qq >"$log" 2>&1; } ||
   ! $SUDO apt-get install -y -qq --no-install-recommends jing >>"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.d/validate.sh: could not install jing" >&2
    exit 1
fi
