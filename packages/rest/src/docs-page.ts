import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";
import { envelope } from "./envelope.ts";

const require = createRequire(import.meta.url);
// served from the installed package: the docs work with no network
const SWAGGER_DIR = join(require.resolve("swagger-ui-dist/package.json"), "..");
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "application/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>MoneyPrinter API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="/api/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#docs", deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });
  </script>
</body>
</html>`;

export function registerDocsPage(app: FastifyInstance) {
  app.get("/api/docs", async (_req, reply) => reply.type("text/html; charset=utf-8").send(page));
  app.get("/api/docs/", async (_req, reply) => reply.redirect("/api/docs"));
  app.get<{ Params: { file: string } }>("/api/docs/:file", async (req, reply) => {
    const type = ASSETS[req.params.file];
    if (!type) return reply.status(404).send(envelope(`No route GET /api/docs/${req.params.file}.`));
    reply.header("cache-control", "public, max-age=86400");
    return reply.type(type).send(createReadStream(join(SWAGGER_DIR, req.params.file)));
  });
}
