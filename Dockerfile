# piata-ai API: one image for the gateway and for each subgraph process. The default command runs the
# gateway; `node dist/subgraphs/serve.js <users|listings>` runs a subgraph (compose.yaml does both).
#
# Two ways to build it (README, "Deployment (Docker)"):
#
#   docker build -t piata-ai .
#       The usual way: `npm ci` and `npm run build` run in the build stage, the production dependencies
#       are installed in the deps stage, and the runtime stage takes only what the server needs.
#
#   deploy/prebuild.sh DIR && docker build --target prebuilt -f Dockerfile --build-arg BASE_IMAGE=local/node22:bookworm DIR
#       For machines where npm cannot run inside a container (no registry image, or a TLS chain the
#       container does not trust): the host builds dist/ and a production node_modules into DIR, and
#       DIR is the build context. Same result; deploy/smoke.sh builds this way.
#
# BASE_IMAGE must be a Debian-based (glibc) Node 22 image: node:22-slim, or local/node22:bookworm made
# by deploy/make-base-image.sh from Debian's mirror and the npm registry. Native modules (argon2,
# esbuild) are installed for linux-x64 glibc; an Alpine (musl) base needs the deps stage run on it.
ARG BASE_IMAGE=node:22-slim

# ---- base: what every final image has (user, settings, health check); the app comes below ----------
FROM ${BASE_IMAGE} AS base
LABEL org.opencontainers.image.title=piata-ai \
      org.opencontainers.image.description="piata-ai GraphQL API: the gateway, or a subgraph process"
# MALLOC_ARENA_MAX: glibc gives every thread that allocates its own malloc arena and keeps their
# memory: with sharp's photo threads the gateway held ~260 MB more after ~60 uploads (bench:images).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
# A user of its own; the app's files stay root's (read-only to it). DATA_DIR is its only writable
# place: the embedded database when the container runs alone (no DATABASE_URL), and the photos' files
# (DATA_DIR/media, made here so that a volume mounted on it starts owned by the app's user).
RUN groupadd --gid 10001 piata \
 && useradd --uid 10001 --gid piata --home-dir /app --no-create-home --shell /usr/sbin/nologin piata \
 && mkdir -p /data/media \
 && chown -R piata:piata /data
USER piata
EXPOSE 4000
# Gateway: /readyz answers 200 while its database answers. A subgraph process has no /readyz (it
# answers 401 to anything but /healthz without the gateway's secret), so then /healthz. No curl in a
# slim image: node's fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const port = process.env.PORT || 4000; const get = (p) => fetch(`http://127.0.0.1:${port}${p}`, { signal: AbortSignal.timeout(4000) }); get('/readyz').then((r) => (r.status === 401 || r.status === 404 ? get('/healthz') : r)).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]
CMD ["node", "dist/gateway/index.js"]

# ---- prebuilt: the host's build, the build context being the folder deploy/prebuild.sh filled --------
# (package.json, package-lock.json, node_modules with production dependencies only, dist/). With the
# repository as context this stage only copies sources nobody uses: the legacy builder (Docker < 23,
# docker-compose v1) builds every stage before the target, BuildKit skips it.
FROM base AS prebuilt
COPY . ./

# ---- build: every dependency, Prisma's client generated (postinstall), TypeScript compiled -----------
FROM ${BASE_IMAGE} AS build
WORKDIR /src
# What `npm ci` needs, postinstall's `prisma generate` included, before the sources: a change of code
# keeps the installed layer.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma/schema.prisma prisma/
COPY prisma/models prisma/models/
RUN npm ci --no-audit --no-fund
COPY . .
# dist/ holds the compiled server, the generated Prisma client (dist/prisma/generated), the migrations
# the processes apply at start, the subgraphs' SDL and the persisted-operations manifest.
RUN npm run build

# ---- deps: production dependencies only ------------------------------------------------------------
FROM ${BASE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json deploy/prune-dev-optional.mjs ./
# No install scripts: the root postinstall generates Prisma's client, which dist/ already holds, and
# @prisma/engines' would download native engines nothing here runs (queries go through driver adapters).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && node prune-dev-optional.mjs . \
 && rm prune-dev-optional.mjs

# ---- runtime (the default target) ------------------------------------------------------------------
FROM base AS runtime
COPY package.json package-lock.json ./
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
