export { appRouter, createCaller, type AppRouter } from "./root.ts";
export type { ApiContext, ModelCatalog } from "./trpc.ts";
export { describeIssues } from "./errors.ts";
export { generateInput, type GenerateInput, type JobOptions } from "./inputs.ts";
export { restJob, restEvent, toRestJob, toRestEvent, type RestJob, type RestEvent } from "./serialize.ts";
