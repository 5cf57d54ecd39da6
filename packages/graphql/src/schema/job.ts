import { JOB_STATES } from "@moneyprinter/db";
import { generateInput, type JobDetail, type JobOptions, type JobProgress, type JobArtifact, type RestJob } from "@moneyprinter/api";
import { builder, PageInfo, type GraphqlContext } from "../builder.ts";
import { eventPage, JobEventConnection } from "./event.ts";

/** What a Job field resolves from: the REST job, plus whatever the answer it came from carried. */
export type JobSource = RestJob & Partial<JobDetail>;

export const JobState = builder.enumType("JobState", {
  values: Object.fromEntries(JOB_STATES.map((s) => [s.toUpperCase(), { value: s }])) as Record<Uppercase<(typeof JOB_STATES)[number]>, { value: (typeof JOB_STATES)[number] }>,
});

/** job.detail once per job object, only when a field the source lacks is asked for. */
function detail(job: JobSource, ctx: GraphqlContext): Promise<JobDetail> | JobDetail {
  if (job.options !== undefined && job.artifacts !== undefined && job.attempts !== undefined) return job as JobDetail;
  let p = ctx.details.get(job);
  if (!p) {
    p = ctx.caller.job.detail({ id: job.id }).then((r) => r.job);
    ctx.details.set(job, p);
  }
  return p;
}
const fromDetail =
  <K extends keyof JobDetail>(key: K) =>
  async (job: JobSource, _args: object, ctx: GraphqlContext): Promise<JobDetail[K]> =>
    job[key] !== undefined ? (job[key] as JobDetail[K]) : (await detail(job, ctx))[key];
const fromScript =
  <K extends keyof NonNullable<JobDetail["script"]>>(key: K) =>
  async (job: JobSource, _args: object, ctx: GraphqlContext) =>
    (await detail(job, ctx)).script?.[key] ?? null;

const Progress = builder.objectRef<JobProgress>("JobProgress").implement({
  description: "Where a running job is: draw `fraction` as a bar, `step` as its label.",
  fields: (t) => ({
    step: t.exposeString("step", { description: "script, terms, footage, voice, subtitles, render, metadata, upload" }),
    fraction: t.exposeFloat("fraction", { description: "overall progress, 0..1" }),
    stepFraction: t.exposeFloat("stepFraction", { description: "progress within the current step, 0..1" }),
  }),
});

/** JobOptions after parsing: defaults make every field but aiModel present. */
type OptionsShape = { [K in Exclude<keyof JobOptions, "aiModel">]-?: NonNullable<JobOptions[K]> } & { aiModel?: string };

const Options = builder.objectRef<OptionsShape>("JobOptions").implement({
  description: "The options as submitted, after validation and defaults.",
  fields: (t) => ({
    videoSubject: t.exposeString("videoSubject"),
    paragraphNumber: t.exposeInt("paragraphNumber"),
    aiModel: t.exposeString("aiModel", { nullable: true }),
    voice: t.exposeString("voice"),
    customPrompt: t.exposeString("customPrompt"),
    subtitlesPosition: t.exposeString("subtitlesPosition"),
    color: t.exposeString("color"),
    useMusic: t.exposeBoolean("useMusic"),
    automateYoutubeUpload: t.exposeBoolean("automateYoutubeUpload"),
    threads: t.exposeInt("threads"),
  }),
});

/** Stored options went through generateInput at submission; parse again for the defaults' sake. */
function optionsOf(raw: Record<string, unknown>): OptionsShape {
  const parsed = generateInput.safeParse(raw);
  if (parsed.success) return parsed.data as OptionsShape;
  // written by something other than /generate: show what parses, defaults for the rest
  const fallback = generateInput.parse({ videoSubject: typeof raw.videoSubject === "string" && raw.videoSubject.trim() ? raw.videoSubject : "(unknown)" });
  return fallback as OptionsShape;
}

const Artifact = builder.objectRef<JobArtifact>("Artifact").implement({
  description: "A file a job produced (clip, voice, subtitles, video), with what proves it intact.",
  fields: (t) => ({
    id: t.exposeID("id"),
    kind: t.exposeString("kind"),
    path: t.exposeString("path"),
    sizeBytes: t.field({ type: "SafeInt", resolve: (a) => a.sizeBytes }),
    sha256: t.exposeString("sha256"),
    durationSeconds: t.exposeFloat("durationSeconds", { nullable: true }),
    createdAt: t.exposeString("createdAt"),
  }),
});

export const Job = builder.objectRef<JobSource>("Job").implement({
  description: "A video generation job. `id` to `completedAt` are exactly the REST job's fields.",
  fields: (t) => ({
    id: t.exposeID("id"),
    state: t.field({ type: JobState, resolve: (j) => j.state }),
    cancelRequested: t.exposeBoolean("cancelRequested"),
    resultPath: t.exposeString("resultPath", { nullable: true, description: "Absolute path of the video; only when completed." }),
    errorMessage: t.exposeString("errorMessage", { nullable: true, description: "Only when failed." }),
    createdAt: t.exposeString("createdAt", { description: "ISO 8601 UTC with milliseconds" }),
    startedAt: t.exposeString("startedAt", { nullable: true }),
    completedAt: t.exposeString("completedAt", { nullable: true }),
    attempts: t.int({ resolve: fromDetail("attempts") }),
    maxAttempts: t.int({ resolve: fromDetail("maxAttempts") }),
    progress: t.field({ type: Progress, nullable: true, resolve: fromDetail("progress") }),
    options: t.field({ type: Options, resolve: async (j, a, ctx) => optionsOf(await fromDetail("options")(j, a, ctx)) }),
    script: t.string({ nullable: true, description: "What the language model wrote, once it has.", resolve: fromScript("script") }),
    searchTerms: t.stringList({ nullable: true, resolve: fromScript("searchTerms") }),
    title: t.string({ nullable: true, resolve: fromScript("title") }),
    description: t.string({ nullable: true, resolve: fromScript("description") }),
    keywords: t.stringList({ nullable: true, resolve: fromScript("keywords") }),
    artifacts: t.field({ type: [Artifact], resolve: fromDetail("artifacts") }),
    events: t.field({
      type: JobEventConnection,
      description: "The job's events with id > after, oldest first.",
      args: {
        after: t.arg({ type: "SafeInt", defaultValue: 0, required: true, description: "an event id (the last cursor you saw)" }),
        first: t.arg.int({ defaultValue: 200, required: true, description: "at most 200" }),
      },
      resolve: (j, args, ctx) => eventPage(ctx, j.id, args.after, args.first),
    }),
  }),
});

export interface JobPage {
  jobs: RestJob[];
  nextCursor: string | null;
}

/**
 * A job's position in the newest-first list, as the queue's listJobs encodes it
 * (base64url of "createdAt|id"); a test checks this against the core's nextCursor.
 */
export const jobCursor = (job: RestJob) => Buffer.from(`${job.createdAt}|${job.id}`).toString("base64url");

export const JobConnection = builder.objectRef<JobPage>("JobConnection").implement({
  description: "Jobs, newest first.",
  fields: (t) => ({
    edges: t.field({
      type: [builder.objectRef<RestJob>("JobEdge").implement({
        fields: (e) => ({
          cursor: e.string({ resolve: jobCursor }),
          node: e.field({ type: Job, resolve: (j) => j }),
        }),
      })],
      resolve: (p) => p.jobs,
    }),
    nodes: t.field({ type: [Job], resolve: (p) => p.jobs }),
    pageInfo: t.field({ type: PageInfo, resolve: (p) => ({ hasNextPage: p.nextCursor !== null, endCursor: p.nextCursor ?? (p.jobs.length ? jobCursor(p.jobs.at(-1)!) : null) }) }),
  }),
});
