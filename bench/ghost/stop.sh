#!/usr/bin/env bash
# Stop the Ghost started by start.sh (by the pid it recorded), waiting up to 30 s before KILL.
set -euo pipefail

GHOST_HOME=${GHOST_HOME:-/work/ghost}
PIDFILE="$GHOST_HOME/ghost.pid"

if [[ ! -f "$PIDFILE" ]] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "Ghost is not running"
    rm -f "$PIDFILE"
    exit 0
fi
pid=$(cat "$PIDFILE")
kill -TERM "$pid"
for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "Ghost stopped (pid $pid)"; exit 0; }
    sleep 1
done
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PIDFILE"
echo "Ghost killed after 30 s (pid $pid)"
