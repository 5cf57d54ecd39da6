import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import cors from "@fastify/cors";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import Fastify, { LogController, type FastifyInstance } from "fastify";
import { appRouter, createLiveHub, type ApiContext, type LiveHub, type ModelCatalog } from "@moneyprinter/api";
import type { Database } from "@moneyprinter/db";
import { createMetricsRegistry, type Registry } from "@moneyprinter/worker";
import { graphqlFacade } from "@moneyprinter/graphql";
import { clientErrorHandler, envelope, errorHandler, restFacade } from "@moneyprinter/rest";
import { corsOrigin } from "./cors.ts";
import type { ServerEnv } from "./env.ts";
import { createProviders } from "@moneyprinter/providers";
import { catalogFor } from "./models.ts";

export const VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version ?? "0.0.0";

declare module "fastify" {
  interface FastifyInstance {
    /** the process's live hub (subscriptions); its `size` is the number of open subscriptions */
    live: LiveHub;
  }
}

export interface ServerDeps {
  env: ServerEnv;
  database: Database;
  models?: ModelCatalog;
  /** pino options, or false in tests */
  logger?: boolean | object;
  /** what /metrics shows; main.ts shares it with the embedded worker. Default: jobs by state + process metrics */
  metrics?: Registry;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { env, database } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: env.LOG_LEVEL },
    logController: new LogController({ disableRequestLogging: !env.LOG_REQUESTS }),
    bodyLimit: env.BODY_LIMIT_BYTES,
    // ids and paths with odd characters, of any length, must reach our handlers, which answer 404
    // "Job not found."; 16 KiB is Node's limit for the whole request head, so no URL exceeds it
    routerOptions: { maxParamLength: 16 * 1024 },
    // URLs the router cannot read (bad percent-encoding) get the envelope too, not Fastify's body
    frameworkErrors: errorHandler,
    // requests Node's HTTP parser rejects (wrong Content-Length, malformed head) get the envelope too
    clientErrorHandler,
    return503OnClosing: true,
  });
  const dataDir = resolve(env.DATA_DIR);
  const models = deps.models ?? catalogFor(createProviders(env).llm);
  // live job progress: one LISTEN per channel for the whole process, closed before the server
  // stops so open subscription streams end instead of holding app.close() open
  const live = await createLiveHub(database);
  app.decorate("live", live);
  app.addHook("preClose", async () => {
    await live.close();
  });
  const context = (): ApiContext => ({ db: database.db, models, songsDir: join(dataDir, "songs"), maxAttempts: env.MAX_ATTEMPTS, live });
  const metrics = deps.metrics ?? createMetricsRegistry(database.db);

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(envelope(`No route ${request.method} ${request.url.split("?")[0]}.`)),
  );
  const allowOrigin = corsOrigin(env.CORS_ORIGINS);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, allowOrigin(origin)),
    methods: ["GET", "POST", "OPTIONS"],
    maxAge: 600,
  });

  await app.register(async (api) => {
    await restFacade(api, {
      createContext: context,
      songsDir: join(dataDir, "songs"),
      version: VERSION,
      uploadLimits: { fileSize: env.SONG_MAX_BYTES, files: 50 },
    });
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: context,
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error, path }, "tRPC procedure failed");
      },
    },
  } satisfies FastifyTRPCPluginOptions<typeof appRouter>);

  // Prometheus text: jobs by state (from the database, every worker's), plus this process's worker metrics
  app.get("/metrics", async (_req, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));

  await app.register(async (gql) => {
    await graphqlFacade(gql, { createContext: context });
  });

  app.get("/health", async () => ({ status: "success", database: database.kind }));
  app.get("/", async (_req, reply) =>
    reply.type("text/html; charset=utf-8").send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MoneyPrinter</title></head><body>` +
        `<h1>MoneyPrinter</h1><p>API at <code>/api</code> — <a href="/api/docs">API reference</a>, ` +
        `<a href="/api/openapi.json">OpenAPI document</a>; typed clients at <code>/trpc</code>; ` +
        `<a href="/graphql">GraphQL explorer</a> at <code>/graphql</code>.</p></body></html>`,
    ),
  );
  return app;
}
