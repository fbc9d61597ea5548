#!/usr/bin/env bash
# Installs everything Deckhand needs on a fresh machine and builds it.
# Idempotent: `npm start` and `npm test` call it when the install is missing or stale.
# Also installs Debian's chromium for the browser tests (see the end).
set -euo pipefail
cd "$(dirname "$0")/.."

# node-gyp builds sqlite3 from source and cannot download Node's headers here: use the local ones.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

echo "[setup] installing dependencies (sqlite3 compiles from source: about a minute)"
npm ci --no-audit --no-fund --loglevel=error
node scripts/lib/setup-stamp.js write

echo "[setup] building"
npm run --silent build

# The browser tests drive Debian's chromium: install it (as root) or fail naming the package.
# `npm start` and `npm test` skip this step here (DECKHAND_SETUP_BROWSER=no): the product needs
# no browser, and `npm test` checks for it on every run itself (scripts/lib/ensure-browser.js).
if [ "${DECKHAND_SETUP_BROWSER:-yes}" != no ]; then
  node scripts/lib/ensure-browser.js
fi
echo "[setup] done"
