#!/usr/bin/env bash
# The project's wrangler, on a Node.js it accepts (see scripts/node22.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/scripts/node22.sh" "$root/node_modules/wrangler/bin/wrangler.js" "$@"
