import type { ZodError } from "zod";

type Issue = ZodError["issues"][number];

/**
 * One human sentence for a failed input, naming the field: the REST envelope, tRPC and GraphQL
 * all show this instead of zod's JSON. Field schemas carry their own sentences (see inputs.ts);
 * anything else is prefixed with the field path.
 */
export function describeIssues(issues: readonly Issue[]): string {
  const issue = issues[0];
  if (!issue) return "The request is invalid.";
  const field = issue.path.map(String).join(".");
  if (!field) {
    return issue.code === "invalid_type" ? "The request body must be a JSON object." : sentence(issue.message);
  }
  if (issue.message.startsWith(field)) return sentence(issue.message);
  if (issue.code === "unrecognized_keys") return `Unknown field ${issue.keys.join(", ")}.`;
  return `${field}: ${sentence(issue.message)}`;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
