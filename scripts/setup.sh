#!/usr/bin/env bash
# Sets up a fresh machine for this project: a virtual environment with the package, and
# (with "test") what the test suite needs. Stage-specific system packages (a browser for
# the HTML tests, poppler for the PDF checks …) are installed by scripts/setup.d/*.sh,
# each from Debian's, PyPI's or npm's registry only. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-build}"
python3 -m venv .venv
if [ "$mode" = "test" ]; then
    .venv/bin/pip install -q -e '.[test]'
else
    .venv/bin/pip install -q -e .
fi
for hook in scripts/setup.d/*.sh; do
    [ -e "$hook" ] || continue
    bash "$hook" "$mode"
done
