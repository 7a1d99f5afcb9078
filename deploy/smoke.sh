#!/usr/bin/env bash
# Smoke test of the Docker deployment, on a machine that cannot pull images (this project's): makes the
# local base images when missing, builds the app image from the host's build, brings compose.yaml's
# stack up (two gateways, the users, listings, chat, search and agents processes, an agent worker, PostgreSQL, Redis), waits for /readyz on
# both gateways, sends GraphQL through them (signUp on one, me and listings on the other; a photo uploaded to one and served by the other), checks the
# image (non-root, no dev dependencies) and takes the stack down, volumes and network included.
#
# Usage: deploy/smoke.sh            (as root: debootstrap and docker; dockerd must be running)
# Environment:
#   SMOKE_BUILD            prebuilt (default): deploy/prebuild.sh, then the Dockerfile's prebuilt target;
#                          docker: `docker build .` (npm in the build stage: machines that can pull);
#                          none: use PIATA_IMAGE as it is
#   PIATA_IMAGE            the image's tag (default piata-ai:smoke)
#   BASE_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE
#                          default local/node22:bookworm, local/postgres:bookworm, local/redis:bookworm,
#                          made by deploy/make-base-image.sh when missing; elsewhere e.g. node:22-slim,
#                          postgres:17, redis:7 (then nothing is made)
#   KEEP=1                 leave the stack running (then: docker-compose -p piata-smoke -f compose.yaml down -v)
#   SMOKE_TIMEOUT          seconds to wait for the stack (default 180)
# Prints each step's time; exits non-zero, with the containers' logs, on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${SMOKE_BUILD:-prebuilt}
export PIATA_IMAGE=${PIATA_IMAGE:-piata-ai:smoke}
export BASE_IMAGE=${BASE_IMAGE:-local/node22:bookworm}
export POSTGRES_IMAGE=${POSTGRES_IMAGE:-local/postgres:bookworm}
export REDIS_IMAGE=${REDIS_IMAGE:-local/redis:bookworm}
export PIATA_BIND=127.0.0.1
project=piata-smoke
timeout=${SMOKE_TIMEOUT:-180}
# Debian's docker-compose v1 here; Compose v2 (`docker compose`) elsewhere.
if command -v docker-compose >/dev/null; then
  compose() { docker-compose -p "$project" -f compose.yaml "$@"; }
elif docker compose version >/dev/null 2>&1; then
  compose() { docker compose -p "$project" -f compose.yaml "$@"; }
else
  echo "no docker-compose (apt-get install docker-compose) nor docker compose" >&2
  exit 1
fi

t0=$SECONDS
step_start=$SECONDS
log() { printf '[smoke %s +%3ds] %s\n' "$(date +%T)" "$((SECONDS - t0))" "$*"; }
lap() { printf -v "$1" '%d' $((SECONDS - step_start)); step_start=$SECONDS; } # lap VAR: seconds since the last lap
fail() {
  log "FAILED: $*"
  compose ps 2>/dev/null || true
  compose logs --no-color --tail=40 2>/dev/null || true
  exit 1
}

docker info >/dev/null 2>&1 || { echo "dockerd is not running (start it: dockerd > /tmp/dockerd.log 2>&1 &)" >&2; exit 1; }

# BuildKit when the CLI has it: a docker 23+ CLI needs the buildx plugin for it, a 20.10 CLI (Debian's
# /usr/bin/docker) has it built in. Measured here: BuildKit sends the 260 MB context in ~15 s and only
# what changed afterwards (~2 s); the legacy builder takes 55-90 s every time.
docker_build() {
  local cli
  for cli in docker /usr/bin/docker; do
    command -v "$cli" >/dev/null || continue
    if "$cli" buildx version >/dev/null 2>&1; then DOCKER_BUILDKIT=1 "$cli" build "$@"; return; fi
    case "$("$cli" version -f '{{.Client.Version}}' 2>/dev/null)" in
      18.* | 19.* | 20.* | 21.* | 22.*) DOCKER_BUILDKIT=1 "$cli" build "$@"; return ;;
    esac
  done
  DOCKER_BUILDKIT=0 docker build "$@"
}
case "$build" in prebuilt | docker | none) ;; *) echo "SMOKE_BUILD is prebuilt, docker or none, not $build" >&2; exit 2 ;; esac

# 1. Local stand-ins for node:22-slim, postgres and redis (kept from an earlier run when present),
# and meanwhile the host's build of the app (independent of them).
if [ "$build" = prebuilt ]; then
  prebuild_out=$(mktemp)
  deploy/prebuild.sh >"$prebuild_out" 2>"$prebuild_out.log" &
  prebuild_pid=$!
  log "host build (deploy/prebuild.sh) started"
fi
case "$BASE_IMAGE $POSTGRES_IMAGE $REDIS_IMAGE" in
  *local/*)
    log "base images"
    deploy/make-base-image.sh || fail "deploy/make-base-image.sh"
    ;;
esac
lap t_base
t_host=0

# 2. The app image.
case "$build" in
  prebuilt) # the host builds, the image copies (npm cannot run inside a container here)
    wait "$prebuild_pid" || { cat "$prebuild_out.log" >&2; fail "deploy/prebuild.sh"; }
    lap t_host
    sed 's/^/  /' "$prebuild_out.log"
    context=$(tail -n1 "$prebuild_out")
    rm -f "$prebuild_out" "$prebuild_out.log"
    log "docker build --target prebuilt ($PIATA_IMAGE on $BASE_IMAGE, context $context)"
    docker_build -q --target prebuilt -f Dockerfile --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$PIATA_IMAGE" "$context" >/dev/null ||
      fail "docker build"
    ;;
  docker)
    log "docker build . ($PIATA_IMAGE on $BASE_IMAGE)"
    docker_build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$PIATA_IMAGE" . >/dev/null || fail "docker build"
    ;;
  none) docker image inspect "$PIATA_IMAGE" >/dev/null || fail "no image $PIATA_IMAGE" ;;
esac
lap t_build
docker image prune -f --filter label=org.opencontainers.image.title=piata-ai >/dev/null # earlier builds' leftovers
image_mb=$(docker image inspect -f '{{.Size}}' "$PIATA_IMAGE" | awk '{ printf "%d", $1 / 1e6 }')
log "image $PIATA_IMAGE: $image_mb MB"

# 3. The image itself: runs as its own user, holds no dev dependency, has the generated Prisma client.
uid=$(docker run --rm --entrypoint id "$PIATA_IMAGE" -u)
[ "$uid" != 0 ] || fail "the image runs as root"
docker run --rm --entrypoint node "$PIATA_IMAGE" -e '
  // npm marks dev-only packages (and those only an optional peer keeps: prune-dev-optional.mjs) in the lockfile.
  const fs = require("node:fs");
  const lock = require("/app/package-lock.json");
  const dev = Object.entries(lock.packages).filter(([at, p]) => at && (p.dev || p.devOptional) && fs.existsSync(`/app/${at}`));
  if (dev.length) { console.error("dev-only packages in the image:", dev.map(([at]) => at).join(", ")); process.exit(1); }
  for (const f of ["/app/dist/gateway/index.js", "/app/dist/subgraphs/serve.js", "/app/dist/prisma/generated/client.js"])
    if (!fs.existsSync(f)) { console.error("missing", f); process.exit(1); }' || fail "image contents"
log "image: user $uid, no dev-only package, dist/ and the Prisma client present"

# 4. The stack, on free host ports, with deploy/piata.env (made from the example when missing).
if [ ! -f deploy/piata.env ]; then
  jwt=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(48).toString("base64url"))')
  pw=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))')
  sed -e "s|^JWT_SECRET=change-me\$|JWT_SECRET=$jwt|" -e "s|change-me|$pw|g" deploy/piata.env.example >deploy/piata.env
  chmod 600 deploy/piata.env
  log "deploy/piata.env made from deploy/piata.env.example (generated secrets)"
fi
free_port() { node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); })'; }
export PIATA_GATEWAY_1_PORT=${PIATA_GATEWAY_1_PORT:-$(free_port)}
export PIATA_GATEWAY_2_PORT=${PIATA_GATEWAY_2_PORT:-$(free_port)}
[ "$PIATA_GATEWAY_1_PORT" != "$PIATA_GATEWAY_2_PORT" ] || PIATA_GATEWAY_2_PORT=$(free_port)

cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    log "KEEP=1: stack left running (gateways on 127.0.0.1:$PIATA_GATEWAY_1_PORT and :$PIATA_GATEWAY_2_PORT)"
  else
    compose down -v --remove-orphans -t 15 >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
compose down -v --remove-orphans >/dev/null 2>&1 || true # a stack left by an interrupted run
lap t_image
log "compose up (gateways on 127.0.0.1:$PIATA_GATEWAY_1_PORT and :$PIATA_GATEWAY_2_PORT)"
compose up -d --no-build 2>&1 | sed 's/^/  /' || fail "compose up"

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' -m 3 "http://127.0.0.1:$1/readyz")" = 200 ]; }
deadline=$((SECONDS + timeout))
until ready "$PIATA_GATEWAY_1_PORT" && ready "$PIATA_GATEWAY_2_PORT"; do
  [ $SECONDS -lt $deadline ] || fail "the gateways were not ready within ${timeout}s"
  sleep 1
done
lap t_up
log "both gateways answer /readyz (${t_up}s after compose up)"

# 5. GraphQL through the gateways. gql PORT QUERY [TOKEN] prints the response; errors fail the test.
gql() {
  local body auth=()
  body=$(node -e 'process.stdout.write(JSON.stringify({ query: process.argv[1] }))' "$2")
  [ -z "${3:-}" ] || auth=(-H "authorization: Bearer $3")
  curl -s -m 15 -H 'content-type: application/json' -H 'accept: application/graphql-response+json' "${auth[@]}" \
    -d "$body" "http://127.0.0.1:$1/graphql"
}
field() { node -e '
  const r = JSON.parse(process.argv[1]);
  if (r.errors) { console.error(JSON.stringify(r.errors)); process.exit(1); }
  let v = r.data; for (const k of process.argv[2].split(".")) v = v?.[k];
  if (v === undefined) { console.error("no", process.argv[2], "in", process.argv[1]); process.exit(1); }
  process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1" "$2"; }

email="smoke.$(date +%s).$$@example.ro"
signup=$(gql "$PIATA_GATEWAY_1_PORT" "mutation { signUp(input: { email: \"$email\", password: \"Castravete-Verde-42\", displayName: \"Test de fum\" }) { accessToken user { id email } } }")
token=$(field "$signup" signUp.accessToken) || fail "signUp through gateway-1: $signup"
log "signUp through gateway-1: $(field "$signup" signUp.user.email)"
me=$(gql "$PIATA_GATEWAY_2_PORT" "{ me { email listingCount } }" "$token")
[ "$(field "$me" me.email)" = "$email" ] || fail "me through gateway-2 with gateway-1's token: $me"
log "me through gateway-2 (the token gateway-1 issued): $(field "$me" me)"
listings=$(gql "$PIATA_GATEWAY_2_PORT" "{ listings(first: 5) { totalCount edges { node { id title } } } categories { slug } }")
total=$(field "$listings" listings.totalCount) || fail "listings through gateway-2: $listings"
categories=$(node -e 'process.stdout.write(String(JSON.parse(process.argv[1]).data.categories.length))' "$listings")
log "listings through gateway-2: totalCount $total, $categories categories"
found=$(gql "$PIATA_GATEWAY_1_PORT" "{ search(query: \"masina\") { totalCount facets { counties { count } } } suggest(prefix: \"bic\") { text } }")
field "$found" search.totalCount > /dev/null || fail "search through gateway-1 (the search process, its extensions on PostgreSQL): $found"
log "search through gateway-1: totalCount $(field "$found" search.totalCount), suggest $(field "$found" suggest)"
# A photo uploaded through gateway-1, attached to a listing there, served by gateway-2 (the shared
# `media` volume): the variant read back is a JPEG of the thumbnail's width.
photo=$(node -e '
  const [g1, g2, token] = process.argv.slice(1);
  const sharp = require("sharp");
  const post = (path, init) => fetch(`http://127.0.0.1:${g1}${path}`, { method: "POST", ...init, signal: AbortSignal.timeout(30000) }).then((r) => r.json());
  (async () => {
    const form = new FormData();
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#c04020" } }).jpeg().toBuffer();
    form.append("file", new Blob([jpeg], { type: "image/jpeg" }), "foto.jpg");
    const upload = await post("/uploads", { headers: { authorization: `Bearer ${token}` }, body: form });
    if (!upload.id) throw new Error(`POST /uploads through gateway-1: ${JSON.stringify(upload)}`);
    const input = {
      categoryId: "101", title: "Dacia Logan 1.5 dCi 2016, test de fum", price: { amount: 450000, currency: "EUR" },
      description: "Vând Dacia Logan în stare foarte bună, întreținută la reprezentanță, toate reviziile la zi, fără accidente.",
      condition: "USED", county: "CJ", city: "Cluj-Napoca", attributes: { make: "dacia", model: "Logan", year: 2016, km: 148000, fuel: "diesel" },
      imageIds: [upload.id],
    };
    const query = "mutation ($input: CreateListingInput!) { createListing(input: $input) { id images { url(size: THUMB, format: JPEG) } } }";
    const created = await post("/graphql", { headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables: { input } }) });
    const url = created.data?.createListing?.images?.[0]?.url;
    if (!url) throw new Error(`createListing with the photo through gateway-1: ${JSON.stringify(created)}`);
    const served = await fetch(`http://127.0.0.1:${g2}${new URL(url, "http://x").pathname}`, { signal: AbortSignal.timeout(15000) });
    if (served.status !== 200) throw new Error(`GET ${url} through gateway-2: ${served.status}`);
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    if (meta.format !== "jpeg" || meta.width !== 320) throw new Error(`the thumbnail is ${meta.format} ${meta.width} px wide`);
    process.stdout.write(`${url} (${meta.format}, ${meta.width} × ${meta.height})`);
  })().catch((error) => { console.error(error.message); process.exit(1); });' "$PIATA_GATEWAY_1_PORT" "$PIATA_GATEWAY_2_PORT" "$token") || fail "photo round trip: $photo"
log "photo uploaded through gateway-1, served by gateway-2: $photo"
keys=$(compose exec -T redis redis-cli dbsize | tr -d '\r') || true
[ "${keys:-0}" -gt 0 ] || fail "no rate-limit counters in Redis"
log "Redis holds $keys rate-limit keys (the gateways count there, not each in its own memory)"

# 6. Every container healthy by the image's HEALTHCHECK.
deadline=$((SECONDS + 60))
for service in gateway-1 gateway-2 users listings chat search agents agent-worker postgres redis; do
  id=$(compose ps -q "$service")
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
    [ $SECONDS -lt $deadline ] || fail "$service is $(docker inspect -f '{{.State.Health.Status}}' "$id")"
    sleep 1
  done
done
log "all 10 containers healthy"
lap t_checks

cleanup
trap - EXIT
lap t_down
log "passed in $((SECONDS - t0))s: base images ${t_base}s, host build ${t_host}s more, image build ${t_build}s (${image_mb} MB), image checks ${t_image}s, stack ready ${t_up}s, queries and health ${t_checks}s, down ${t_down}s"
