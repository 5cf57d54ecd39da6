export * from "./jobs.ts";
export * from "./events.ts";
export * from "./outputs.ts";
