# syntax=docker/dockerfile:1.7
# One image for every service: the service name is the last argument of the command,
#   npx tsx runtime/src/service.ts <api|recurring-task|notification|audit|websocket-sync>
# plus the one-shot commands `npx tsx runtime/src/migrate.ts up` and `npx tsx runtime/src/topics.ts provision`.
#
# Why tsx at run time instead of a compile step: the workspaces export their TypeScript sources
# (package.json "exports": "./src/*.ts"), so tests, the embedded mode and the containers run the very
# same files; compiling would need a second set of exports for JS output. tsx is a root devDependency,
# so the deps stage installs exactly the locked tsx version beside the production dependencies
# (moving tsx to runtime/package.json "dependencies" would make that step a plain `npm ci --omit=dev`).
ARG NODE_IMAGE=node:20-slim

# --- the package manifests only, so the dependency layer is rebuilt only when they change ---
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete && find . -type d -empty -delete

# --- production node_modules of the workspaces, plus tsx ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev
RUN TSX_VERSION="$(node -p "require('./package-lock.json').packages['node_modules/tsx'].version")" \
 && npm install --prefix /opt/tsx --no-package-lock "tsx@${TSX_VERSION}" \
 && cp -a /opt/tsx/node_modules/. node_modules/ \
 && node_modules/.bin/tsx --version

# --- web UI assets (served by the api service) ---
FROM ${NODE_IMAGE} AS web
WORKDIR /app/web
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY web/ ./
RUN if [ -f package-lock.json ]; then npm ci; else npm install; fi && npm run build

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
# The root filesystem is read-only in Kubernetes: npm and tsx write only under /tmp.
ENV NODE_ENV=production \
    TODO_MODE=distributed \
    PORT=8080 \
    HOME=/tmp \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false
WORKDIR /app
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /tmp --no-create-home --shell /usr/sbin/nologin app
# Files stay owned by root: the app user can read them, not change them.
# node_modules of the root and of any workspace with nested dependencies.
COPY --from=deps /app ./
# Sources as selected by .dockerignore (no tests, no deploy files, no local data).
COPY . .
COPY --from=web /app/web/dist web/dist
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Kubernetes and compose always give the full command with the service name.
CMD ["npx", "tsx", "runtime/src/service.ts", "api"]
