#!/usr/bin/env bash
# `edition pdf PATH…` on any TEI (pipeline/anytei.py) typesets with Typst's embedded fonts and
# falls back to the system's fonts for scripts they lack: Debian's fonts-wqy-microhei covers
# Chinese and Japanese (a few MB). Needed for building and for the tests. Idempotent and quiet.
set -euo pipefail
fc-list :lang=zh family 2>/dev/null | grep -q . && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "setup.d/anytei.sh: no CJK font; install the Debian package fonts-wqy-microhei as root" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { apt-cache show fonts-wqy-microhei >/dev/null 2>&1 || $SUDO apt-get update -qq >"$log" 2>&1; } ||
   ! $SUDO apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >>"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.d/anytei.sh: could not install fonts-wqy-microhei" >&2
    exit 1
fi
