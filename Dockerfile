# syntax=docker/dockerfile:1
# Innboard server image. Debian 13 (trixie, glibc 2.41): uWebSockets.js loads as shipped, so the
# glibc 2.36 compat shim (server/src/transport/uws-loader.ts) is never built in production.
# Node 24 runs the TypeScript sources directly (type stripping): there is no compile step.

FROM node:24-trixie-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY . .
# Everything, dev dependencies included, to build the board (when this tree has it).
RUN pnpm install --frozen-lockfile \
 && if [ -d web ]; then pnpm --filter @innboard/web build; else mkdir -p web/build; fi

FROM node:24-trixie-slim
ENV NODE_ENV=production \
    PORT=3000 \
    TRANSPORT=uws \
    WEB_BUILD_DIR=web/build
WORKDIR /app
RUN npm install -g pnpm@10.34.9
COPY --from=build /app/package.json /app/pnpm-lock.yaml /app/pnpm-workspace.yaml ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/server/package.json server/
RUN pnpm install --frozen-lockfile --prod --filter @innboard/server... \
 && pnpm store prune
COPY --from=build /app/shared/src shared/src
COPY --from=build /app/server/src server/src
COPY --from=build /app/web/build web/build
USER node
EXPOSE 3000
# SIGTERM drains in-flight commands and flushes the audit relay (SHUTDOWN_TIMEOUT_MS, default 20 s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/src/main.ts"]
