import { initTRPC, TRPCError } from "@trpc/server";
import Fastify, { type FastifyInstance } from "fastify";
import type { OpenApiMeta } from "trpc-to-openapi";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "@moneyprinter/api";
import { envelope, errorHandler } from "../envelope.ts";
import { buildOpenApiDocument } from "../openapi.ts";
import { openApiRoutes, registerOpenApiRoutes } from "../routes.ts";

const t = initTRPC.context<{ who: string }>().meta<OpenApiMeta>().create({ isDev: false });

const base = {
  get: t.procedure
    .meta({ openapi: { method: "GET", path: "/things/{id}" } })
    .input(z.object({ id: z.string(), tag: z.array(z.string()).optional(), note: z.string().optional() }))
    .query(({ input, ctx }) => ({ status: "success", input, who: ctx.who })),
  add: t.procedure
    .meta({ openapi: { method: "POST", path: "/things/{id}/add" } })
    .input(z.object({ id: z.string(), name: z.string({ error: "name is required." }) }))
    .mutation(({ input }) => ({ status: "success", input })),
  ping: t.procedure
    .meta({ openapi: { method: "GET", path: "/ping" } })
    .input(z.void())
    .query(({ input }) => ({ status: "success", input: input ?? "none" })),
  conflict: t.procedure
    .meta({ openapi: { method: "POST", path: "/conflict" } })
    .input(z.object({}).optional())
    .mutation(() => {
      throw new TRPCError({ code: "CONFLICT", message: "Already there." });
    }),
  boom: t.procedure
    .meta({ openapi: { method: "GET", path: "/boom" } })
    .input(z.void())
    .query(() => {
      throw new Error("connect ECONNREFUSED 10.0.0.1:5432");
    }),
  // no openapi meta: tRPC only
  hidden: t.procedure.input(z.void()).query(() => "hidden"),
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(router: Parameters<typeof registerOpenApiRoutes>[1]["router"]) {
  app = Fastify({ logger: false });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => reply.status(404).send(envelope(`No route ${request.method} ${request.url.split("?")[0]}.`)));
  registerOpenApiRoutes(app, { router, createContext: () => ({ who: "ctx" }), prefix: "/api" });
  await app.ready();
  return app;
}

describe("REST routes generated from the procedures' openapi meta", () => {
  it("gives every procedure with openapi meta a route, and a new procedure its route with no other change", async () => {
    const router = t.router(base);
    expect(openApiRoutes(router).map((r) => `${r.method} ${r.url} ${r.procedurePath}`).sort()).toEqual([
      "GET /api/boom boom",
      "GET /api/ping ping",
      "GET /api/things/:id get",
      "POST /api/conflict conflict",
      "POST /api/things/:id/add add",
    ]);
    const grown = t.router({
      ...base,
      later: t.router({
        count: t.procedure
          .meta({ openapi: { method: "GET", path: "/things/{id}/count" } })
          .input(z.object({ id: z.string() }))
          .query(({ input }) => ({ status: "success", count: input.id.length })),
      }),
    });
    const server = await serve(grown);
    const res = await server.inject({ method: "GET", url: "/api/things/abc/count" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "success", count: 3 });
    const hidden = await server.inject({ method: "GET", url: "/api/hidden" });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(envelope("No route GET /api/hidden."));
  });

  it("serves exactly the operations of the OpenAPI document of the core router", () => {
    const doc = buildOpenApiDocument({ version: "test" });
    const documented: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (path === "/upload-songs") continue; // the one hand-written multipart route
      for (const method of Object.keys(item as object)) documented.push(`${method.toUpperCase()} ${path}`);
    }
    const served = openApiRoutes(appRouter).map((r) => `${r.method} ${r.openapiPath}`);
    expect(served.sort()).toEqual(documented.sort());
  });

  it("builds input as trpc-to-openapi does: query or JSON body, then path parameters over them", async () => {
    const server = await serve(t.router(base));
    const get = await server.inject({ method: "GET", url: "/api/things/a%20b?id=other&tag=x&note=" });
    expect(get.headers["content-type"]).toBe("application/json; charset=utf-8");
    // the path wins over the query; an empty value is dropped; a lone value of an array field becomes an array
    expect(get.json()).toEqual({ status: "success", input: { id: "a b", tag: ["x"] }, who: "ctx" });
    const twice = await server.inject({ method: "GET", url: "/api/things/a?tag=x&tag=y" });
    expect(twice.json().input).toEqual({ id: "a", tag: ["x", "y"] });
    const void_ = await server.inject({ method: "GET", url: "/api/ping?x=1" });
    expect(void_.json()).toEqual({ status: "success", input: "none" });

    const post = await server.inject({ method: "POST", url: "/api/things/p/add", headers: { "content-type": "Application/JSON; charset=UTF-8" }, payload: '{"id":"q","name":"n"}' });
    expect(post.json()).toEqual({ status: "success", input: { id: "p", name: "n" } });
    const none = await server.inject({ method: "POST", url: "/api/conflict" }); // no body, no content-type: {}
    expect(none.statusCode).toBe(409);
    const text = await server.inject({ method: "POST", url: "/api/things/p/add", headers: { "content-type": "text/plain" }, payload: "name=n" });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual(envelope("Content-Type must be application/json."));
  });

  it("maps errors to trpc-to-openapi's statuses and the one envelope", async () => {
    const server = await serve(t.router(base));
    const bad = await server.inject({ method: "POST", url: "/api/things/p/add", headers: { "content-type": "application/json" }, payload: "{}" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual(envelope("name is required."));
    const conflict = await server.inject({ method: "POST", url: "/api/conflict", headers: { "content-type": "application/json" }, payload: "{}" });
    expect([conflict.statusCode, conflict.json()]).toEqual([409, envelope("Already there.")]);
    const boom = await server.inject({ method: "GET", url: "/api/boom" });
    expect([boom.statusCode, boom.json()]).toEqual([500, envelope("Internal error.")]);
    const nope = await server.inject({ method: "GET", url: "/api/nope?x=1" });
    expect([nope.statusCode, nope.json()]).toEqual([404, envelope("No route GET /api/nope.")]);
    const method = await server.inject({ method: "DELETE", url: "/api/ping" });
    expect([method.statusCode, method.json()]).toEqual([404, envelope("No route DELETE /api/ping.")]);
  });

  it("still answers the paths trpc-to-openapi's adapter matched: any letter case, a trailing slash", async () => {
    const server = await serve(t.router(base));
    for (const url of ["/api/things/a%20b/", "/api/THINGS/a%20b", "/api/Things/a%20b/?note=n"]) {
      const res = await server.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json().input.id, url).toBe("a b");
    }
  });
});
