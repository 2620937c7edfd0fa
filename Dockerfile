# The Boro Webhook relay. The Grafana plugin is not part of this image: `npm run build` writes it to dist/,
# which docker-compose.yml mounts into the official Grafana image.

# ---- Build: compile the relay and better-sqlite3's native module.
FROM node:20-bookworm-slim AS build

# better-sqlite3 builds its native module with node-gyp when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# --ignore-scripts skips the package's own prepare script, which needs the sources copied below;
# the rebuild then runs better-sqlite3's install script alone.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3

COPY tsconfig.relay.json ./
COPY src/contract ./src/contract
COPY src/relay ./src/relay
RUN npm run build:relay

# ---- Runtime: production dependencies, the compiled relay and the native module, run as a non-root user.
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production \
    BORO_RELAY_HOST=0.0.0.0 \
    BORO_RELAY_PORT=8686 \
    BORO_RELAY_DATA_DIR=/var/lib/boro-relay \
    BORO_RELAY_PROFILES_DIR=/app/provisioning/profiles

WORKDIR /app

# No compiler here, so install scripts stay off and better-sqlite3's binary comes from the build stage.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node \
  ./node_modules/better-sqlite3/build/Release/better_sqlite3.node
COPY --from=build /app/build ./build
COPY bin ./bin

# The data directory holds the SQLite database, generated tokens and the encryption key.
RUN mkdir -p /var/lib/boro-relay /app/provisioning/profiles \
  && chown node:node /var/lib/boro-relay
VOLUME ["/var/lib/boro-relay"]

USER node
EXPOSE 8686

# node:*-slim has no curl, so Node's own fetch checks the liveness route.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BORO_RELAY_PORT || 8686) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/boro-relay.js", "serve"]
