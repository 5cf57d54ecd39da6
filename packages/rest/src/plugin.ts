import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { appRouter, type ApiContext } from "@moneyprinter/api";
import { registerDocsPage } from "./docs-page.ts";
import { buildOpenApiDocument } from "./openapi.ts";
import { registerOpenApiRoutes } from "./routes.ts";
import { DEFAULT_UPLOAD_LIMITS, registerUploadSongs, type UploadLimits } from "./upload-songs.ts";

export interface RestOptions {
  createContext: () => ApiContext;
  songsDir: string;
  version: string;
  uploadLimits?: UploadLimits;
}

/**
 * Mounts the REST facade under /api: one route per core procedure with `openapi` meta (the same
 * meta trpc-to-openapi writes the OpenAPI document from), the multipart upload, the document and
 * its reference page. Register it inside its own encapsulated scope (app.register) so the
 * multipart parser stays on /api.
 */
export async function restFacade(app: FastifyInstance, opts: RestOptions) {
  const limits = opts.uploadLimits ?? DEFAULT_UPLOAD_LIMITS;
  await app.register(multipart, { limits: { fileSize: limits.fileSize, files: limits.files }, throwFileSizeLimit: false });

  const doc = buildOpenApiDocument({ version: opts.version });
  const docJson = JSON.stringify(doc);
  app.get("/api/openapi.json", async (_req, reply) => reply.type("application/json; charset=utf-8").send(docJson));
  registerDocsPage(app);
  registerUploadSongs(app, { songsDir: opts.songsDir, limits });

  // the routes of the core router's procedures, from their openapi meta (routes.ts)
  registerOpenApiRoutes(app, { router: appRouter, createContext: opts.createContext, prefix: "/api" });
}
