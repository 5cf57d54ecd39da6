import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { fastifyTRPCOpenApiPlugin } from "trpc-to-openapi";
import { appRouter, type ApiContext } from "@moneyprinter/api";
import { registerDocsPage } from "./docs-page.ts";
import { rewriteErrorBody } from "./envelope.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { DEFAULT_UPLOAD_LIMITS, registerUploadSongs, type UploadLimits } from "./upload-songs.ts";

export interface RestOptions {
  createContext: () => ApiContext;
  songsDir: string;
  version: string;
  uploadLimits?: UploadLimits;
}

/**
 * Mounts the REST facade under /api: the routes trpc-to-openapi generates from the core router,
 * the multipart upload, the OpenAPI document and its reference page. Register it inside its own
 * encapsulated scope (app.register) so its hooks stay on /api.
 */
export async function restFacade(app: FastifyInstance, opts: RestOptions) {
  const limits = opts.uploadLimits ?? DEFAULT_UPLOAD_LIMITS;
  await app.register(multipart, { limits: { fileSize: limits.fileSize, files: limits.files }, throwFileSizeLimit: false });

  const doc = buildOpenApiDocument({ version: opts.version });
  const docJson = JSON.stringify(doc);
  app.get("/api/openapi.json", async (_req, reply) => reply.type("application/json; charset=utf-8").send(docJson));
  registerDocsPage(app);
  registerUploadSongs(app, { songsDir: opts.songsDir, limits });

  // The existing page and curl POST /api/cancel with no body and no Content-Type; trpc-to-openapi
  // would answer 415. An absent body is an empty JSON object.
  // Media types are case-insensitive (RFC 9110) but trpc-to-openapi compares them as written.
  app.addHook("preHandler", async (request) => {
    const type = request.headers["content-type"];
    if (request.method === "POST" && type === undefined && request.url.startsWith("/api/")) {
      request.headers["content-type"] = "application/json";
      request.body = {};
    } else if (type && /^application\/json/i.test(type)) {
      request.headers["content-type"] = type.toLowerCase();
    }
  });

  // the one place where trpc-to-openapi's error bodies become the contract's envelope
  app.addHook("onSend", async (request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== "string") return payload;
    if (!String(reply.getHeader("content-type") ?? "").startsWith("application/json")) return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      body = null;
    }
    if (reply.statusCode >= 500) request.log.error({ body }, "REST procedure failed");
    // trpc-to-openapi strips the /api prefix from the raw url before routing
    const url = request.url.startsWith("/api") ? request.url : `/api${request.url}`;
    return JSON.stringify(rewriteErrorBody(reply.statusCode, body, { method: request.method, url }));
  });

  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: "/api",
    router: appRouter,
    createContext: () => opts.createContext(),
  });
}
