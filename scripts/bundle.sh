#!/usr/bin/env bash
# Bundles the compiled CLI into ES modules: loading ~100 small modules cost
# about 60 ms of every run; a bundle loads in a fraction of that. With
# --splitting what each command lazy-imports (HTML report, watch, seccomp's and
# auditd's tables…) is a chunk of its own beside bulkhead.mjs, loaded only by
# the command that needs it: one 1.4 MB file parsed on every run cost ~40 ms.
# Native and rarely used packages stay outside and load from node_modules.
# (esbuild keeps main.ts's #! line; the banner gives bundled CommonJS code a require.)
set -euo pipefail
cd "$(dirname "$0")/.."
find dist/src/cli -maxdepth 1 -name 'bulkhead-*.mjs' -delete 2>/dev/null || true
npx --no-install esbuild dist/src/cli/main.js --bundle --splitting --platform=node --format=esm --target=node20 \
  --outdir=dist/src/cli --entry-names=bulkhead --chunk-names=bulkhead-[name]-[hash] --out-extension:.js=.mjs --log-level=warning \
  --external:tree-sitter --external:tree-sitter-bash --external:dockerode --external:jsonc-parser --external:dockerfile-ast \
  "--banner:js=import { createRequire as __bulkheadRequire } from 'node:module'; const require = __bulkheadRequire(import.meta.url);"
chmod +x dist/src/cli/bulkhead.mjs
