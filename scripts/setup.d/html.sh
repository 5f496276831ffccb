#!/usr/bin/env bash
# What the HTML edition's tests need (tests/test_html*.py). Nothing for "build": the
# HTML stage itself needs only saxonche, which pip installs with the package.
#   - Debian: chromium (driven by Playwright through executable_path, never a browser
#     download), a Java runtime for the Nu Html Checker, and the Linux Libertine fonts so
#     that the screenshots look the same on every machine (the pages name system fonts
#     only and fall back to any serif);
#   - npm: vnu-jar and axe-core, pinned by package-lock.json, into ./node_modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-build}"
[ "$mode" = "test" ] || exit 0

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
fc-list 2>/dev/null | grep -q "Linux Libertine O" || need+=(fonts-linuxlibertine)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci installs exactly the locked versions; skip when they are already there.
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f node_modules/axe-core/axe.min.js ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
