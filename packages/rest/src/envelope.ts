import type { Duplex } from "node:stream";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { describeIssues } from "@moneyprinter/api";

/**
 * The contract's error body, and the one place that turns every other error shape into it:
 * trpc-to-openapi's `{message, code, issues}`, Fastify's own errors (malformed JSON, body too
 * large, bad content type), multipart limits, and anything unexpected (logged, never shown).
 */
export interface ErrorEnvelope {
  status: "error";
  message: string;
}

export const envelope = (message: string): ErrorEnvelope => ({ status: "error", message });

/** Rewrite a JSON error body produced by trpc-to-openapi into the envelope. */
export function rewriteErrorBody(statusCode: number, body: unknown, req: { method: string; url: string }): ErrorEnvelope {
  const b = (body ?? {}) as { status?: unknown; message?: unknown; code?: unknown; issues?: unknown };
  if (b.status === "error" && typeof b.message === "string" && Object.keys(b).length === 2) return b as ErrorEnvelope;
  if (Array.isArray(b.issues) && b.issues.length) return envelope(describeIssues(b.issues as never));
  if (statusCode === 404 && b.message === "Not found") return envelope(`No route ${req.method} ${req.url.split("?")[0]}.`);
  if (statusCode >= 500) return envelope("Internal error.");
  if (b.code === "UNSUPPORTED_MEDIA_TYPE") return envelope("Content-Type must be application/json.");
  if (b.code === "PARSE_ERROR") return envelope("The request body is not valid JSON.");
  if (typeof b.message === "string" && b.message) return envelope(b.message);
  return envelope("The request could not be handled.");
}

/** Fastify's error handler for the whole server: client mistakes get a 4xx envelope, the rest a logged 500. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  let message: string;
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      message = error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "The request body is empty; send a JSON object." : "The request body is not valid JSON.";
      break;
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      message = `The request body is too large (limit ${request.routeOptions.bodyLimit ?? "exceeded"} bytes).`;
      break;
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      message = `Content-Type ${request.headers["content-type"] ?? "(none)"} is not supported here; send application/json.`;
      break;
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      message = "Content-Length does not match the body.";
      break;
    case "FST_ERR_BAD_URL":
      message = "The request path is not a valid URL (bad percent-encoding).";
      break;
    case "FST_ERR_MAX_PARAM_LENGTH":
      message = "The request path is too long.";
      break;
    case "FST_REQ_FILE_TOO_LARGE":
      message = error.message;
      break;
    default:
      message = status < 500 ? error.message || "Bad request." : "Internal error.";
  }
  if (status >= 500) request.log.error({ err: error }, "request failed");
  else request.log.info({ code: error.code, status }, message);
  return reply.status(status).type("application/json").send(envelope(message));
}

/**
 * Node's HTTP parser rejected the request before Fastify saw it (a Content-Length that does not
 * match, a malformed request line or header, headers too large, a request that took too long).
 * Fastify's default answer is its own `{error, message, statusCode}` body; here it is the envelope,
 * written straight to the socket because there is no request object, and the connection closes.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, message] =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? [408, "The request took too long to arrive."]
      : error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "The request headers are too large."]
        : [400, "The request is not valid HTTP (check its request line, headers and Content-Length)."];
  const body = JSON.stringify(envelope(message));
  if ((socket as { writable?: boolean }).writable) {
    socket.write(
      `HTTP/1.1 ${status} ${status === 400 ? "Bad Request" : status === 408 ? "Request Timeout" : "Request Header Fields Too Large"}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
