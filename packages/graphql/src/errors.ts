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

  if (isTRPCError(original)) {
    const code = CODES[original.code] ?? "INTERNAL_SERVER_ERROR";
    if (code === "INTERNAL_SERVER_ERROR") return located("Internal error.", code);
    const message = isZodError(original.cause) ? describeIssues(original.cause.issues) : original.message;
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

// By name as well as by class: under a bundler or test runner a second copy of a module makes
// `instanceof` fail, and a NOT_FOUND would then be masked as an internal error.
function isTRPCError(e: unknown): e is TRPCError {
  return e instanceof TRPCError || (e instanceof Error && e.name === "TRPCError" && typeof (e as TRPCError).code === "string");
}
function isZodError(e: unknown): e is ZodError {
  return e instanceof ZodError || (e instanceof Error && e.name === "ZodError" && Array.isArray((e as ZodError).issues));
}
