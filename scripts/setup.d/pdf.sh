#!/usr/bin/env bash
# The PDF stage's system needs. Building needs nothing beyond the Python packages
# (Typst compiles in-process with its embedded fonts). The tests render pages to PNG
# with pdftoppm from Debian's poppler-utils. Idempotent and quiet: nothing is
# downloaded when pdftoppm is already there.
set -euo pipefail
mode="${1:-build}"
[ "$mode" = "test" ] || exit 0
command -v pdftoppm >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "setup.d/pdf.sh: pdftoppm is missing; install poppler-utils as root" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing on a fresh machine; fetch them only if the
# package cannot be found without them.
# apt's chatter goes to a log that is shown only when something fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { apt-cache show poppler-utils >/dev/null 2>&1 || $SUDO apt-get update -qq >"$log" 2>&1; } ||
   ! $SUDO apt-get install -y -qq --no-install-recommends poppler-utils >>"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.d/pdf.sh: could not install poppler-utils" >&2
    exit 1
fi
