import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import type { Db } from "./client.ts";

/**
 * Run one hand-written statement as a PREPARED statement and return its rows.
 *
 * Why not `db.execute(sql\`…\`)`: Drizzle hands raw SQL to postgres.js as an unnamed statement, so
 * Postgres parses and plans it on every call, and postgres.js first sends a Describe round trip to
 * learn the parameter types. For the worker's hot statements (claim, the batched guarded writes)
 * that was a third of the database's CPU per job. Here postgres.js names the statement once per
 * connection and re-executes it; on PGlite it is the extended-protocol query it always was.
 *
 * `db` must be the root handle from createDatabase (not a transaction): the statement runs on the
 * pool in autocommit, one statement = one transaction. Parameters are positional ($1, $2, …) and
 * every one should carry an explicit cast in the text.
 */
export async function queryRows<T>(db: Db, text: string, params: readonly unknown[]): Promise<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (!client) throw new Error("queryRows: needs the root database handle (no $client on this one)");
  if (typeof (client as Sql).unsafe === "function") {
    return (await (client as Sql).unsafe(text, params as never[], { prepare: true })) as unknown as T[];
  }
  return (await (client as PGlite).query<T>(text, params as unknown[])).rows;
}
