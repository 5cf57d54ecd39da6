import { TRPCError } from "@trpc/server";
import { GraphQLError } from "graphql";
import { ZodError } from "zod";
import { describeIssues } from "@moneyprinter/api";

/** tRPC error codes → the codes GraphQL clients expect in `extensions.code`. */
const CODES: Partial<Record<TRPCError["code"], string>> = {
  NOT_FOUND: "NOT_FOUND",
  BAD_REQUEST: "BAD_USER_INPUT",
  PARSE_ERROR: "BAD_USER_INPUT",
  UNPROCESSABLE_CONTENT: "BAD_USER_INPUT",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/**
 * The one place where errors become what GraphQL clients see (yoga's maskError): the core's
 * errors keep their message (the contract's sentences: "Job not found.") and get a code; anything
 * else is "Internal error." — never a stack trace or an SQL message.
 */
export function maskError(error: unknown): Error {
  const gql = error instanceof GraphQLError ? error : null;
  const original = gql ? (gql.originalError ?? gql) : error;
  const located = (message: string, code: string) =>
    new GraphQLError(message, { nodes: gql?.nodes, source: gql?.source, positions: gql?.positions, path: gql?.path, extensions: { code } });

  if (original instanceof TRPCError) {
    const code = CODES[original.code] ?? "INTERNAL_SERVER_ERROR";
    if (code === "INTERNAL_SERVER_ERROR") return located("Internal error.", code);
    const message = original.cause instanceof ZodError ? describeIssues(original.cause.issues) : original.message;
    return located(message, code);
  }
  // errors raised by GraphQL itself (syntax, validation, variable coercion) and by our own resolvers
  if (original instanceof GraphQLError) {
    if (original.extensions?.code) return original;
    return new GraphQLError(original.message, {
      nodes: original.nodes,
      source: original.source,
      positions: original.positions,
      path: original.path,
      extensions: { ...original.extensions, code: "BAD_USER_INPUT" },
    });
  }
  return located("Internal error.", "INTERNAL_SERVER_ERROR");
}
