# lockscope: GitHub App webhooks + dashboard (`lockscope serve`).
#
#   docker build -t lockscope .
#   docker run -p 3000:3000 -v lockscope-data:/data \
#     -e APP_ID=... -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=... \
#     -e PUBLIC_URL=https://lockscope.example.org lockscope
#
# Three stages: `build` compiles TypeScript with the dev dependencies; `deps` installs only the
# production dependencies and compiles better-sqlite3 (it has no usable prebuilt here, so it needs
# python3/make/g++); the final image copies both results onto a clean Node image without a
# compiler and runs as an unprivileged user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would run tsc before the sources are copied, and the native
# installs (better-sqlite3, tree-sitter-c's optional binding) are not needed to compile.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts skips `prepare` (tsc is a dev dependency and absent here) and tree-sitter-c's
# native binding (lockscope loads its wasm); better-sqlite3 is then built explicitly.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM node:20-bookworm-slim
# git: the mail bot reads --repo bases and follows public-inbox archives (mail watch) with it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    LOCKSCOPE_DB=/data/lockscope.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json app.yml ./
COPY examples ./examples
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli.js", "serve"]
