#!/usr/bin/env bash
# Builds the root filesystem of the bulkhead image WITHOUT a registry: this machine's Node.js
# (the binary, the shared libraries ldd names and the dynamic loader), the built bulkhead laid out
# as deploy/image/Dockerfile's runtime stage lays it out (/app: package.json, dist/src/cli/*.mjs,
# the production node_modules only) and a minimal /etc. The test imports it into its private engine;
# on a host that cannot pull node:20-bookworm-slim, do the same:
#   npm run build && bash deploy/image/rootfs.sh /tmp/bulkhead-rootfs
#   tar -C /tmp/bulkhead-rootfs -c . | docker import \
#     -c 'ENV NODE_ENV=production' -c 'WORKDIR /app' -c 'USER root' \
#     -c 'ENTRYPOINT ["node", "/app/dist/src/cli/bulkhead.mjs"]' -c 'CMD ["--help"]' - bulkhead:0.1.0
# Usage: rootfs.sh OUTDIR   (OUTDIR must not exist or be empty; run `npm run build` first)
set -euo pipefail
out=${1:?usage: rootfs.sh OUTDIR}
cd "$(dirname "$0")/../.."
[ -f dist/src/cli/bulkhead.mjs ] || { echo "rootfs: dist/src/cli/bulkhead.mjs is missing: run npm run build first" >&2; exit 2; }
[ -d node_modules ] || { echo "rootfs: node_modules is missing: run npm ci first" >&2; exit 2; }
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then echo "rootfs: $out is not empty" >&2; exit 2; fi
# A tree npm finds broken (a package missing) would make an image that fails at run time: checked before anything is written.
npm_err=$(mktemp)
listing=$(npm ls --omit=dev --all --parseable 2>"$npm_err") || {
  echo "rootfs: npm ls --omit=dev finds node_modules broken (run npm ci): $(grep -m1 -v '^npm error code' "$npm_err")" >&2
  rm -f "$npm_err"
  exit 2
}
rm -f "$npm_err"
mkdir -p "$out"
out=$(cd "$out" && pwd -P)

node_bin=$(readlink -f "$(command -v node)")
mkdir -p "$out/usr/bin" "$out/etc" "$out/tmp" "$out/root" "$out/app/dist/src/cli" "$out/app/node_modules"
chmod 755 "$out" && chmod 1777 "$out/tmp" && chmod 700 "$out/root"
cp "$node_bin" "$out/usr/bin/node"

# The production dependency tree, as npm resolves it (no devDependencies): the bundle leaves the
# native tree-sitter addons, dockerode, jsonc-parser and dockerfile-ast outside (scripts/bundle.sh)
# and requires picomatch at run time, so the whole production tree is what runs.
# npm names a package by the folder it resolves, under ./node_modules or, when that is a
# symlink, under its target: both are the same tree.
here=$(pwd)/node_modules
nm=$(cd node_modules && pwd -P)
mapfile -t deps < <(printf '%s\n' "$listing" | while read -r p; do
  case "$p" in "$here"/*) echo "${p#"$here"/}" ;; "$nm"/*) echo "${p#"$nm"/}" ;; esac
done | sort -u)
[ ${#deps[@]} -gt 0 ] || { echo "rootfs: npm ls --omit=dev found no production dependencies" >&2; exit 2; }
# Prebuilt addons for other platforms and the WebAssembly grammar are never loaded here.
arch=$(node -p process.arch)
tar -C "$nm" -c --exclude='*.wasm' --exclude='prebuilds/darwin-*' --exclude='prebuilds/win32-*' \
  --exclude='prebuilds/linux-*' "${deps[@]}" | tar -C "$out/app/node_modules" -x
# ... but this platform's prebuilds are what node-gyp-build loads.
for d in "${deps[@]}"; do
  if [ -d "$nm/$d/prebuilds/linux-$arch" ]; then
    mkdir -p "$out/app/node_modules/$d/prebuilds"
    cp -a "$nm/$d/prebuilds/linux-$arch" "$out/app/node_modules/$d/prebuilds/"
  fi
done
cp package.json "$out/app/package.json"
cp dist/src/cli/*.mjs "$out/app/dist/src/cli/"

# Shared libraries of node and of every native addon, and the loader, at the paths they name.
libs() { ldd "$1" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/[^ ]*ld-linux/{print $1}'; }
{
  libs "$node_bin"
  while IFS= read -r -d '' addon; do libs "$addon"; done < <(find "$out/app/node_modules" -name '*.node' -type f -print0)
} | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files\n' >"$out/etc/nsswitch.conf"
echo "$out"
