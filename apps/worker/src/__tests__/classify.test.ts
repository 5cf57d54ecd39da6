import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeError, isTransientError } from "../classify.ts";

describe("a statement that failed because the database went away", () => {
  // what a group-commit write rejects with when Postgres is down (seen in the restart test)
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5433"), { code: "ECONNREFUSED" });
  const failed = new DrizzleQueryError(
    "set local synchronous_commit = off;\nwith j as (update generation_jobs set progress = E'{}'::jsonb where id = E'5b0c…'::uuid and lease_token = E'481c5003-…'::uuid returning id) select 1",
    [],
    refused,
  );

  it("is transient", () => {
    expect(isTransientError(failed)).toBe(true);
  });

  it("is described by its cause, without the SQL (other jobs' ids and lease tokens)", () => {
    expect(describeError(failed)).toBe("connect ECONNREFUSED 127.0.0.1:5433.");
  });

  it("keeps Drizzle's message when there is no cause to tell instead", () => {
    expect(describeError(new DrizzleQueryError("select 1", []))).toMatch(/^Failed query: select 1/);
  });
});
