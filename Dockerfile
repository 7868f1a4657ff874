# revloop: multi-stage build. The runtime image holds the compiled app, production dependencies
# and the default mappings, and runs as an unprivileged user.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-slim
ENV NODE_ENV=production \
    REVLOOP_MAPPINGS_DIR=/app/mappings \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY mappings ./mappings
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/revloop.js"]
CMD ["start"]
