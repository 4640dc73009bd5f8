# Cowsay for Slack: a multi-stage image. The build stage compiles the TypeScript; the runtime stage holds
# production dependencies and dist/ only, and runs as the unprivileged `node` user (uid 1000).
#
# The base images are build arguments, so the file can be checked against local copies where no registry
# is reachable:  docker build --build-arg NODE_IMAGE=... --build-arg BUILD_IMAGE=... .
ARG BUILD_IMAGE=node:24-bookworm
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${BUILD_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The local tools (dev bootstrap, slash client, manifest printer) and source maps are never run in the image.
RUN npm run build && rm -rf dist/tools && find dist -name '*.map' -delete

# Production dependencies, installed on the full image so a native module could still be compiled there.
FROM ${BUILD_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# better-sqlite3 ships its C sources and binaries for eight platforms; only this platform's binary is loaded.
# Loading it here proves the one kept is the right one.
RUN cd node_modules/better-sqlite3 \
 && keep="$(node -p "require('./lib/binding.js').getPrebuildPath() || ''")" \
 && find prebuilds -name '*.node' ! -path "${keep#"$PWD/"}" -delete \
 && rm -rf deps src node_modules/node-addon-api \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/cowsay.db
WORKDIR /app
# Owned by root and read-only to the app: only /data is writable by the user the app runs as.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# node itself makes the check, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 receives docker's SIGTERM directly; the app answers it by finishing requests and exiting 0.
CMD ["node", "dist/index.js"]
