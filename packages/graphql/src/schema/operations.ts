import { isTrackedEnvelope } from "@trpc/server";
import { createCaller, type GenerateRequest, type JobStatus, type RestEvent } from "@moneyprinter/api";
import { builder, type GraphqlContext } from "../builder.ts";
import { eventPage, JobEvent, JobEventConnection } from "./event.ts";
import { Job, JobConnection, JobState } from "./job.ts";

builder.queryType({
  fields: (t) => ({
    job: t.field({
      type: Job,
      nullable: true,
      description: "Unknown id: null with a NOT_FOUND error (\"Job not found.\").",
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, { id }, ctx) => (await ctx.caller.job.detail({ id: String(id) })).job,
    }),
    jobs: t.field({
      type: JobConnection,
      description: "Newest first.",
      args: {
        state: t.arg({ type: JobState }),
        first: t.arg.int({ defaultValue: 20, required: true, description: "at most 100" }),
        after: t.arg.string({ description: "pageInfo.endCursor of the previous page" }),
      },
      resolve: async (_r, args, ctx) => {
        const page = await ctx.caller.job.list({ state: args.state ?? undefined, limit: args.first, cursor: args.after ?? undefined });
        return { jobs: page.jobs, nextCursor: page.nextCursor };
      },
    }),
    jobEvents: t.field({
      type: JobEventConnection,
      nullable: true,
      description: "A job's events with id > after, oldest first.",
      args: {
        jobId: t.arg.id({ required: true }),
        after: t.arg({ type: "SafeInt", defaultValue: 0, required: true }),
        first: t.arg.int({ defaultValue: 200, required: true, description: "at most 200" }),
      },
      resolve: (_r, args, ctx) => eventPage(ctx, String(args.jobId), args.after, args.first),
    }),
  }),
});

const GenerateInput = builder.inputType("GenerateInput", {
  description: "As POST /api/generate: everything but videoSubject is optional.",
  fields: (t) => ({
    videoSubject: t.string({ required: true }),
    paragraphNumber: t.int(),
    aiModel: t.string(),
    voice: t.string({ description: "a voice id, e.g. en_us_001 (see `voices`)" }),
    customPrompt: t.string(),
    subtitlesPosition: t.string({ description: '"<left|center|right>,<top|center|bottom>"' }),
    color: t.string({ description: "#RGB or #RRGGBB" }),
    useMusic: t.boolean(),
    automateYoutubeUpload: t.boolean(),
    threads: t.int(),
  }),
});

const GeneratePayload = builder.objectRef<{ message: string; jobId: string }>("GeneratePayload").implement({
  fields: (t) => ({
    message: t.exposeString("message"),
    jobId: t.exposeID("jobId"),
    job: t.field({ type: Job, resolve: async (p, _a, ctx) => (await ctx.caller.job.detail({ id: p.jobId })).job }),
  }),
});

const CancelPayload = builder.objectRef<{ message: string; jobId: string }>("CancelPayload").implement({
  fields: (t) => ({
    message: t.exposeString("message"),
    job: t.field({ type: Job, description: "the job after the request", resolve: async (p, _a, ctx) => (await ctx.caller.job.detail({ id: p.jobId })).job }),
  }),
});

/** GraphQL null means "not given": the core applies its defaults to absent fields. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

builder.mutationType({
  fields: (t) => ({
    generate: t.field({
      type: GeneratePayload,
      args: { input: t.arg({ type: GenerateInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const request: GenerateRequest = { ...defined(input), videoSubject: input.videoSubject };
        const res = await ctx.caller.generate(request);
        return { message: res.message, jobId: res.jobId };
      },
    }),
    cancelJob: t.field({
      type: CancelPayload,
      nullable: true,
      description: "Queued: cancelled at once. Running: the worker stops at its next checkpoint. Finished: nothing changes.",
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_r, { id }, ctx) => {
        const res = await ctx.caller.job.cancel({ id: String(id) });
        return { message: res.message, jobId: String(id) };
      },
    }),
    cancelLatestJob: t.field({
      type: CancelPayload,
      nullable: true,
      description: "The latest active job: running before queued, newest first. None: NOT_FOUND (\"No active job found.\").",
      resolve: async (_r, _a, ctx) => {
        const res = await ctx.caller.job.cancelLatest();
        return { message: res.message, jobId: res.jobId };
      },
    }),
  }),
});

/**
 * A subscription's source: the core's subscription through its own caller, whose signal is
 * aborted when the client goes away, so the stream stops waiting at once instead of at its next
 * wake-up. The job is looked up first, so an unknown id is a NOT_FOUND error, not an empty stream.
 */
async function stream<T>(ctx: GraphqlContext, id: string, open: (caller: GraphqlContext["caller"]) => Promise<AsyncIterable<unknown>>): Promise<AsyncIterable<T>> {
  await ctx.caller.job.get({ id });
  const abort = new AbortController();
  const source = (await open(createCaller(ctx.api, { signal: abort.signal })))[Symbol.asyncIterator]();
  const unwrap = (r: IteratorResult<unknown>): IteratorResult<T> =>
    r.done ? r : { done: false, value: (isTrackedEnvelope(r.value) ? r.value[1] : r.value) as T };
  const iterator: AsyncIterableIterator<T> = {
    next: async () => unwrap(await source.next()),
    async return() {
      abort.abort();
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(err) {
      abort.abort();
      await source.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}

builder.subscriptionType({
  fields: (t) => ({
    jobEvents: t.field({
      type: JobEvent,
      description: "Stored events with id > after, then each new one as it is written; completes after the job's terminal event.",
      args: { jobId: t.arg.id({ required: true }), after: t.arg({ type: "SafeInt", defaultValue: 0, required: true }) },
      subscribe: (_r, args, ctx) =>
        stream<RestEvent>(ctx, String(args.jobId), (caller) => caller.job.onEvents({ id: String(args.jobId), after: args.after })),
      resolve: (event: RestEvent) => event,
    }),
    jobUpdated: t.field({
      type: Job,
      description: "The job now, then whenever its state, progress or cancel flag change; completes at a terminal state.",
      args: { id: t.arg.id({ required: true }) },
      subscribe: (_r, args, ctx) => stream<JobStatus>(ctx, String(args.id), (caller) => caller.job.onUpdated({ id: String(args.id) })),
      resolve: (job: JobStatus) => job,
    }),
  }),
});
