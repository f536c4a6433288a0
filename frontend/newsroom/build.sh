#!/bin/sh
# Rebuild the newsroom's editor bundle from the pinned packages (package-lock.json).
#   cd frontend/newsroom && npm ci && ./build.sh
# The bundle is committed, so running the site never needs Node.
set -eu
cd "$(dirname "$0")"
OUT=../../masthead/static/newsroom/editor.js
npx esbuild src/editor.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=eof --outfile="$OUT"
echo "built $OUT ($(wc -c < "$OUT") bytes)"
