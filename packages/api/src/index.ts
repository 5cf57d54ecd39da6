export { appRouter, createCaller, type AppRouter } from "./root.ts";
export type { ApiContext, ModelCatalog } from "./trpc.ts";
export { describeIssues } from "./errors.ts";
export { generateInput, type GenerateInput, type GenerateRequest, type JobOptions } from "./inputs.ts";
export {
  restJob,
  restEvent,
  toRestJob,
  toRestEvent,
  toJobStatus,
  toJobDetail,
  type RestJob,
  type RestEvent,
  type JobStatus,
  type JobDetail,
  type JobProgress,
  type JobArtifact,
} from "./serialize.ts";
export { createLiveHub, type LiveHub, type LiveHubOptions, type LiveTopic, type Watch } from "./live.ts";
export { followEvents, followJob, isTerminal } from "./follow.ts";
