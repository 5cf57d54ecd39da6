import type { FastifyInstance } from "fastify";
import type { ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { createGraphqlYoga, type GraphqlOptions } from "./yoga.ts";

type Enveloped = Pick<ExecutionArgs, "rootValue"> & { rootValue: { execute: (a: ExecutionArgs) => unknown; subscribe: (a: ExecutionArgs) => unknown } };

/**
 * Mounts GraphQL at /graphql on a Fastify app: queries and mutations over GET/POST, subscriptions
 * over SSE (yoga's built-in: POST or GET with Accept: text/event-stream) and over WebSocket
 * (graphql-ws protocol, on the HTTP server's upgrade event), GraphiQL on GET from a browser.
 */
export async function graphqlFacade(app: FastifyInstance, opts: GraphqlOptions): Promise<void> {
  const endpoint = opts.endpoint ?? "/graphql";
  const yoga = createGraphqlYoga({ ...opts, endpoint });

  app.route({
    url: endpoint,
    method: ["GET", "POST"],
    handler: async (request, reply) => {
      const response = await yoga.handleNodeRequestAndResponse(request, reply, {});
      response.headers.forEach((value, key) => void reply.header(key, value));
      reply.status(response.status);
      // a ReadableStream for SSE subscriptions: Fastify streams it and cancels it when the client goes
      return reply.send(response.body);
    },
  });

  // graphql-ws over the same schema and plugins (error masking included) as the HTTP transport
  const wss = new WebSocketServer({ noServer: true });
  const server = useServer(
    {
      execute: (args) => (args as unknown as Enveloped).rootValue.execute(args) as never,
      subscribe: (args) => (args as unknown as Enveloped).rootValue.subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload });
        const document = enveloped.parse(payload.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wss,
  );
  const onUpgrade = (req: import("node:http").IncomingMessage, socket: import("node:stream").Duplex, head: Buffer) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === endpoint) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    } else if (app.server.listenerCount("upgrade") === 1) {
      socket.destroy(); // nobody else serves this upgrade: don't leave the client hanging
    }
  };
  app.server.on("upgrade", onUpgrade);
  app.addHook("preClose", async () => {
    app.server.off("upgrade", onUpgrade);
    for (const client of wss.clients) client.close(1001, "Server shutting down");
    await server.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}

