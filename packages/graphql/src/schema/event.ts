import { EVENT_LEVELS } from "@moneyprinter/db";
import type { RestEvent } from "@moneyprinter/api";
import { builder, PageInfo, type GraphqlContext } from "../builder.ts";

export const EventLevel = builder.enumType("EventLevel", {
  values: Object.fromEntries(EVENT_LEVELS.map((l) => [l.toUpperCase(), { value: l }])) as Record<Uppercase<(typeof EVENT_LEVELS)[number]>, { value: (typeof EVENT_LEVELS)[number] }>,
});

export const JobEvent = builder.objectRef<RestEvent>("JobEvent").implement({
  description: "One line of a job's history; ids are strictly increasing across all jobs.",
  fields: (t) => ({
    id: t.field({ type: "SafeInt", resolve: (e) => e.id }),
    type: t.exposeString("type", { description: "queued, running, log, retry, cancel_requested, cancelled, complete, error" }),
    level: t.field({ type: EventLevel, resolve: (e) => e.level }),
    message: t.exposeString("message"),
    payload: t.field({ type: "JSONObject", nullable: true, resolve: (e) => e.payload }),
    timestamp: t.exposeFloat("timestamp", { description: "Unix seconds, with fractions" }),
  }),
});

export interface EventPage {
  events: RestEvent[];
  hasNextPage: boolean;
}

export const JobEventConnection = builder.objectRef<EventPage>("JobEventConnection").implement({
  description: "Events oldest first. A cursor is the event id as a string; pass the id as `after`.",
  fields: (t) => ({
    edges: t.field({
      type: [builder.objectRef<RestEvent>("JobEventEdge").implement({
        fields: (e) => ({
          cursor: e.string({ resolve: (ev) => String(ev.id) }),
          node: e.field({ type: JobEvent, resolve: (ev) => ev }),
        }),
      })],
      resolve: (p) => p.events,
    }),
    nodes: t.field({ type: [JobEvent], resolve: (p) => p.events }),
    pageInfo: t.field({
      type: PageInfo,
      resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.events.length ? String(p.events.at(-1)!.id) : null }),
    }),
  }),
});

/** The core's page size limit (200): to know whether more follow, ask for one more, or peek. */
export async function eventPage(ctx: GraphqlContext, jobId: string, after: number, first: number): Promise<EventPage> {
  const want = Math.min(Math.max(first, 1), 200);
  const { events } = await ctx.caller.job.events({ id: jobId, after, limit: Math.min(want + 1, 200) });
  if (events.length > want) return { events: events.slice(0, want), hasNextPage: true };
  if (events.length === 200) {
    const more = await ctx.caller.job.events({ id: jobId, after: events.at(-1)!.id, limit: 1 });
    return { events, hasNextPage: more.events.length > 0 };
  }
  return { events, hasNextPage: false };
}
