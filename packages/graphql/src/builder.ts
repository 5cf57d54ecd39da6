import SchemaBuilder from "@pothos/core";
import { GraphQLError, Kind, valueFromASTUntyped, type ValueNode } from "graphql";
import type { ApiContext, createCaller, JobDetail } from "@moneyprinter/api";

export type Caller = ReturnType<typeof createCaller>;

/** Per request (or per subscription): the core router's caller, and memoised job details. */
export interface GraphqlContext {
  api: ApiContext;
  caller: Caller;
  /** job.detail answers per job object, so a list asks once per job and only when a field needs it */
  details: WeakMap<object, Promise<JobDetail>>;
}

export const builder = new SchemaBuilder<{
  Context: GraphqlContext;
  DefaultFieldNullability: false;
  Scalars: {
    SafeInt: { Input: number; Output: number };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({ defaultFieldNullability: false });

// Event ids are a bigint identity: GraphQL's Int stops at 2^31-1, ids outgrow it on a busy server.
builder.scalarType("SafeInt", {
  description: "An integer between -(2^53-1) and 2^53-1 (event ids outgrow GraphQL's 32-bit Int).",
  serialize: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new GraphQLError(`SafeInt cannot represent ${String(v)}.`);
    return n;
  },
  parseValue: (v) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new GraphQLError("Expected a whole number.", { extensions: { code: "BAD_USER_INPUT" } });
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT || !Number.isSafeInteger(Number(ast.value))) {
      throw new GraphQLError("Expected a whole number.", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return Number(ast.value);
  },
});

builder.scalarType("JSONObject", {
  description: "A JSON object.",
  serialize: (v) => v as Record<string, unknown>,
  parseValue: (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new GraphQLError("Expected a JSON object.");
    return v as Record<string, unknown>;
  },
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError("Expected a JSON object.");
    return valueFromASTUntyped(ast) as Record<string, unknown>;
  },
});

export const PageInfo = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>("PageInfo")
  .implement({
    description: "Relay-style page information.",
    fields: (t) => ({
      hasNextPage: t.exposeBoolean("hasNextPage"),
      endCursor: t.exposeString("endCursor", { nullable: true, description: "Pass as `after` to get the next page." }),
    }),
  });
