import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "@moneyprinter/api";

type Doc = ReturnType<typeof generateOpenApiDocument>;

const errorSchema = {
  type: "object",
  required: ["status", "message"],
  properties: { status: { type: "string", enum: ["error"] }, message: { type: "string" } },
  additionalProperties: false,
} as const;

/**
 * The OpenAPI 3 document of the REST facade: generated from the core router's procedures, plus
 * the plain multipart route, with every error response showing the envelope the server sends.
 */
export function buildOpenApiDocument(opts: { version: string; serverUrl?: string }): Doc {
  const doc = generateOpenApiDocument(appRouter, {
    title: "MoneyPrinter API",
    description:
      "Turn a topic into a vertical short video. Jobs are durable; follow them by polling events, or live over GraphQL/tRPC subscriptions.",
    version: opts.version,
    baseUrl: opts.serverUrl ? `${opts.serverUrl.replace(/\/$/, "")}/api` : "/api",
    tags: ["jobs", "models", "songs"],
  });
  doc.components ??= {};
  doc.components.schemas ??= {};
  (doc.components.schemas as Record<string, unknown>).Error = errorSchema;
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item as Record<string, { responses?: Record<string, { content?: unknown; description?: string }> }>)) {
      for (const [code, res] of Object.entries(op.responses ?? {})) {
        if (Number(code) >= 400 || code === "default") res.content = errorContent;
      }
      if (op.responses && !op.responses["400"] && op.responses["200"]) {
        op.responses["400"] = { description: "Invalid input", content: errorContent };
      }
    }
  }
  (doc.paths as Record<string, unknown>)["/upload-songs"] = {
    post: {
      operationId: "uploadSongs",
      tags: ["songs"],
      summary: "Replace the song library with uploaded MP3 files",
      description:
        "Files that are not real MP3 audio (checked byte-wise, not by name) are skipped; names are reduced to their base name.",
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { songs: { type: "array", items: { type: "string", format: "binary" } } },
              required: ["songs"],
            },
          },
        },
      },
      responses: {
        "200": {
          description: "Uploaded N song(s).",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["status", "message"],
                properties: {
                  status: { type: "string", enum: ["success"] },
                  message: { type: "string" },
                  songs: { type: "array", items: { type: "string" } },
                  skipped: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
        },
        "400": { description: "No files uploaded. / No MP3 files found.", content: errorContent },
        "413": { description: "A file is too large.", content: errorContent },
      },
    },
  };
  return doc;
}
