import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { GraphQLError, printSchema, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { createLiveHub } from "@moneyprinter/api";
import { createDatabase } from "@moneyprinter/db";
import { HEADER, printedSchema, SCHEMA_FILE } from "../print-schema.ts";
import { schema } from "../schema/index.ts";
import { createGraphqlYoga } from "../yoga.ts";

describe("schema.graphql", () => {
  it("is what the code generates (run `npm run generate -w @moneyprinter/graphql` after changing src/schema)", () => {
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(printedSchema());
    expect(printedSchema().startsWith(HEADER)).toBe(true);
    expect(HEADER).toMatch(/generated — do not edit/);
  });

  it("declares the operations the issue lists, non-null where a value always exists", () => {
    const sig = (type: "Query" | "Mutation" | "Subscription") =>
      Object.fromEntries(
        Object.values((schema.getType(type) as GraphQLObjectType).getFields()).map((f) => [
          f.name,
          `(${f.args.map((a) => `${a.name}: ${String(a.type)}${a.defaultValue === undefined ? "" : ` = ${JSON.stringify(a.defaultValue)}`}`).join(", ")}): ${String(f.type)}`,
        ]),
      );
    expect(sig("Query")).toEqual({
      job: "(id: ID!): Job",
      jobs: "(state: JobState, first: Int! = 20, after: String): JobConnection!",
      jobEvents: "(jobId: ID!, after: SafeInt! = 0, first: Int! = 200): JobEventConnection",
      models: "(): ModelList!",
      voices: "(language: String): [Voice!]!",
    });
    expect(sig("Mutation")).toEqual({
      generate: "(input: GenerateInput!): GeneratePayload!",
      cancelJob: "(id: ID!): CancelPayload",
      cancelLatestJob: "(): CancelPayload",
    });
    expect(sig("Subscription")).toEqual({
      jobEvents: "(jobId: ID!, after: SafeInt! = 0): JobEvent!",
      jobUpdated: "(id: ID!): Job!",
    });
    expect(printSchema(schema)).toMatch(/enum JobState \{\s+QUEUED\s+RUNNING\s+COMPLETED\s+FAILED\s+CANCELLED\s+\}/);
  });

  it("runs on the one graphql instance every dependency uses (vitest alias)", () => {
    const require = createRequire(import.meta.url);
    expect((require("graphql") as { GraphQLError: unknown }).GraphQLError).toBe(GraphQLError);
  });
});

describe("GraphiQL", () => {
  it("opens on GET from a browser, with everything inlined: nothing is loaded from a CDN", async () => {
    const database = await createDatabase({ dataDir: "memory" });
    const live = await createLiveHub(database);
    try {
      const yoga = createGraphqlYoga({ createContext: () => ({ db: database.db, models: { backend: "x", defaultModel: "m", list: async () => [] }, live }) });
      const res = await yoga.fetch("http://localhost/graphql", { headers: { accept: "text/html,application/xhtml+xml" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain("MoneyPrinter GraphQL");
      expect(html).toContain("renderYogaGraphiQL");
      // no external scripts, styles or workers
      expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
      expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
      // a programmatic GET without text/html still gets GraphQL
      const q = await yoga.fetch("http://localhost/graphql?query=%7Bvoices(language%3A%22fr%22)%7Bid%7D%7D", { headers: { accept: "application/json" } });
      expect(await q.json()).toEqual({ data: { voices: [{ id: "fr_001" }, { id: "fr_002" }] } });
    } finally {
      await live.close();
      await database.close();
    }
  });
});
