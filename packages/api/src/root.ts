import { createCallerFactory, createTRPCRouter } from "./trpc.ts";
import { generate } from "./router/generate.ts";
import { jobRouter } from "./router/job.ts";
import { modelsRouter } from "./router/models.ts";
import { queueRouter } from "./router/queue.ts";

/** Every job operation, defined once; REST, tRPC and GraphQL all call these. */
export const appRouter = createTRPCRouter({
  generate,
  job: jobRouter,
  models: modelsRouter,
  queue: queueRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
