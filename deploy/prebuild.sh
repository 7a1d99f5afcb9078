#!/usr/bin/env bash
# The host's half of `docker build --target prebuilt`, for machines where npm cannot run inside a
# container: fills DIR with what the image's runtime stage would hold, and DIR is then the build context.
#
#   DIR/package.json, package-lock.json
#   DIR/node_modules   production dependencies only (npm ci --omit=dev --ignore-scripts, then
#                      deploy/prune-dev-optional.mjs); reused while package-lock.json is unchanged
#   DIR/dist           `npm run build` of this checkout (the generated Prisma client compiled in)
#
# Usage: deploy/prebuild.sh [DIR]   (default: a folder under /tmp named after this checkout)
# Prints DIR on its last line. DIR is outside the repository on purpose: `npm run lint` would read a
# dist/ copy inside it, and `docker build .` would send it along.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-/tmp/piata-ai-prebuilt-$(printf '%s' "$root" | sha256sum | cut -c1-12)}

log() { printf '[prebuild %s] %s\n' "$(date +%T)" "$*" >&2; }

# The build needs the devDependencies (tsc) and Prisma's generated client (npm ci's postinstall).
if [ ! -d node_modules ] || [ ! -d prisma/generated ]; then
  log "npm ci (this checkout has no node_modules or no prisma/generated)"
  npm ci --no-audit --no-fund >&2
fi
log "npm run build"
npm run --silent build >&2

mkdir -p "$out"
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -d "$out/node_modules" ] && [ "$(cat "$out/.lock-sha256" 2>/dev/null)" = "$lock_sha" ]; then
  log "production node_modules: kept (package-lock.json unchanged)"
else
  log "production node_modules: npm ci --omit=dev --ignore-scripts"
  rm -rf "$out/node_modules" "$out/.lock-sha256"
  cp package.json package-lock.json "$out/"
  (cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  node deploy/prune-dev-optional.mjs "$out" >&2
  echo "$lock_sha" >"$out/.lock-sha256"
fi
cp package.json package-lock.json "$out/"
rm -rf "$out/dist"
cp -a dist "$out/dist"
printf '.lock-sha256\n' >"$out/.dockerignore"
log "ready: $(du -sh "$out" | cut -f1) in $out"
echo "$out"
