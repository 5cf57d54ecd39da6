import type { AnyTRPCRouter } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  acceptsRequestBody,
  coerceSchema,
  forEachOpenApiProcedure,
  getErrorFromUnknown,
  getInputOutputParsers,
  getPathRegExp,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  normalizePath,
  TRPC_ERROR_CODE_HTTP_STATUS,
  unwrapZodType,
  zodSupportsCoerce,
  type OpenApiMethod,
  type OpenApiProcedure,
  type OpenApiProcedureRecord,
} from "trpc-to-openapi";
import { ZodArray } from "zod";
import { rewriteErrorBody } from "./envelope.ts";

/*
 * The REST routes, served by Fastify straight from the core router's procedures.
 *
 * Each procedure's `openapi` meta (the same meta trpc-to-openapi reads to write the OpenAPI
 * document) becomes one Fastify route: a procedure that gains `openapi` meta gets its route with
 * no other change. Input is built as trpc-to-openapi's adapter builds it — GET: the query string
 * merged with the path parameters; POST/PUT/PATCH: the JSON body merged with the path parameters;
 * nothing for a void input — and the procedure is called through one caller made at start-up.
 * Errors map to HTTP statuses by trpc-to-openapi's own table and go through the one envelope
 * rewrite (envelope.ts).
 *
 * Why not trpc-to-openapi's Fastify adapter: per request it built a fetch Request only to get an
 * AbortSignal (and a DOMException when the response closed), a fresh caller proxy, and matched
 * the path against regular expressions; that halved the throughput of GET /api/jobs/:id
 * (docs/benchmarks.md). Its document generator is still what writes /api/openapi.json.
 */

export interface OpenApiRoute {
  method: OpenApiMethod;
  /** as written in the meta, normalised: `/jobs/{id}` */
  openapiPath: string;
  /** the Fastify route under the prefix: `/api/jobs/:id` */
  url: string;
  /** the procedure's path in the router: `job.get` */
  procedurePath: string;
  type: "query" | "mutation";
  procedure: OpenApiProcedure;
}

/** Every procedure with `openapi` meta (subscriptions excepted, as trpc-to-openapi does), as a route. */
export function openApiRoutes(router: AnyTRPCRouter, prefix = "/api"): OpenApiRoute[] {
  const routes: OpenApiRoute[] = [];
  const base = prefix.replace(/\/$/, "");
  forEachOpenApiProcedure(router._def.procedures as OpenApiProcedureRecord, ({ path, type, procedure, meta }) => {
    if (type === "subscription") return;
    const openapiPath = normalizePath(meta.openapi.path);
    if (/[:*]/.test(openapiPath)) throw new Error(`${path}: the OpenAPI path ${openapiPath} has ":" or "*", which Fastify's router would read as parameters.`);
    routes.push({
      method: meta.openapi.method,
      openapiPath,
      url: `${base}${openapiPath.replace(/\{(.+?)\}/g, ":$1")}`,
      procedurePath: path,
      type,
      procedure,
    });
  });
  return routes;
}

export interface OpenApiRoutesOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** called once per request, like trpc-to-openapi's createContext */
  createContext: () => unknown;
  /** where the routes live (default /api) */
  prefix?: string;
}

type Caller = (input: unknown) => Promise<unknown>;

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * Registers one Fastify route per OpenAPI procedure of the router, and under the prefix a
 * fallback that matches paths the way trpc-to-openapi's adapter did (any letter case, a trailing
 * slash allowed), so what used to be answered still is; anything else there is a 404 envelope.
 */
export function registerOpenApiRoutes<TRouter extends AnyTRPCRouter>(app: FastifyInstance, opts: OpenApiRoutesOptions<TRouter>) {
  const { router } = opts;
  const base = (opts.prefix ?? "/api").replace(/\/$/, "");
  // one caller for the process; the context callback runs for each call
  const caller = router.createCaller(() => opts.createContext()) as Record<string, unknown>;
  const lenient: { method: string; pattern: RegExp; handler: Handler }[] = [];
  for (const route of openApiRoutes(router, base)) {
    const call = route.procedurePath.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as Caller;
    const handler = handlerFor(router, route, call);
    app.route({ method: route.method, url: route.url, handler });
    lenient.push({ method: route.method, pattern: getPathRegExp(route.openapiPath), handler });
  }
  app.route({
    method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    url: `${base}/*`,
    handler: async (request, reply) => {
      // trpc-to-openapi's matching: the URL's pathname, one leading/trailing slash trimmed, case-insensitive
      const path = normalizePath(new URL(`http://127.0.0.1${request.url.slice(base.length)}`).pathname);
      for (const r of lenient) {
        const match = r.method === request.method ? r.pattern.exec(path) : null;
        if (!match) continue;
        // percent-decoded, as Fastify gives the exact routes their parameters
        const params: Record<string, string> = {};
        for (const [key, value] of Object.entries(match.groups ?? {})) params[key] = decoded(value);
        request.params = params;
        return r.handler(request, reply);
      }
      return sendError(router, undefined, request, reply, new TRPCError({ code: "NOT_FOUND", message: "Not found" }), undefined);
    },
  });
}

function handlerFor(router: AnyTRPCRouter, route: OpenApiRoute, call: Caller) {
  const useBody = acceptsRequestBody(route.method);
  const schema = unwrapZodType(getInputOutputParsers(route.procedure).inputParser, true);
  // a void input gets no input at all (a GET's query string is ignored)
  const takesInput = !instanceofZodTypeLikeVoid(schema);
  const isObject = zodSupportsCoerce && instanceofZodTypeObject(schema);
  // trpc-to-openapi turns a lone query value into a one-element array for array fields
  const arrayKeys: string[] = [];
  if (isObject) {
    for (const [key, field] of Object.entries(schema.shape)) {
      if (field instanceof ZodArray || (instanceofZodTypeOptional(field) && field.unwrap() instanceof ZodArray)) arrayKeys.push(key);
    }
    // trpc-to-openapi sets `coerce` on plain number/boolean/bigint/date fields of an object input
    // (on each call; the effect is global and permanent). Done once here, so the other faces see
    // the same schemas from the start. The core's inputs use pipes, which it leaves alone.
    coerceSchema(schema);
  }

  return async function openApiRoute(request: FastifyRequest, reply: FastifyReply) {
    let input: Record<string, unknown> | undefined;
    try {
      let source: unknown;
      if (useBody) {
        const type = request.headers["content-type"];
        // curl -X POST and the original page send no body and no Content-Type: an empty object
        if (type === undefined) source = {};
        // media types are case-insensitive (RFC 9110); Fastify already refused types it cannot parse
        else if (type.toLowerCase().startsWith("application/json")) source = request.body;
        else throw new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: `Unsupported content-type "${type}` });
      } else {
        source = queryOf(request.query as Record<string, unknown>);
      }
      if (takesInput) {
        input = { ...(source as object), ...(request.params as object) };
        if (!useBody) for (const key of arrayKeys) if (input[key] !== undefined && !Array.isArray(input[key])) input[key] = [input[key]];
      }
      const data = await call(input);
      return reply.type("application/json; charset=utf-8").send(JSON.stringify(data));
    } catch (cause) {
      return sendError(router, route, request, reply, cause, input);
    }
  };
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** trpc-to-openapi's getQuery: empty values dropped, a value given once is a string, repeated ones an array. */
function queryOf(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value) out[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
  return out;
}

/** The body trpc-to-openapi would send, then the one rewrite into the envelope. */
function sendError(router: AnyTRPCRouter, route: OpenApiRoute | undefined, request: FastifyRequest, reply: FastifyReply, cause: unknown, input: unknown) {
  const error = getErrorFromUnknown(cause);
  const shape = getErrorShape({ config: router._def._config, error, type: route?.type ?? "unknown", path: route?.procedurePath, input, ctx: undefined }) as
    | { message?: string }
    | undefined;
  const isInputValidationError = error.code === "BAD_REQUEST" && error.cause instanceof Error && error.cause.name === "ZodError";
  const status = TRPC_ERROR_CODE_HTTP_STATUS[error.code] ?? 500;
  const body = {
    ...shape,
    message: isInputValidationError ? "Input validation failed" : (shape?.message ?? error.message ?? "An error occurred"),
    code: error.code,
    issues: isInputValidationError ? (error.cause as unknown as { issues: unknown[] }).issues : undefined,
  };
  if (status >= 500) request.log.error({ err: error, procedure: route?.procedurePath }, "REST procedure failed");
  return reply.status(status).type("application/json; charset=utf-8").send(JSON.stringify(rewriteErrorBody(status, body, request)));
}
