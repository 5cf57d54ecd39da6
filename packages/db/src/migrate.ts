import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

// any fixed 64-bit number: it only has to be the same in every process migrating this database
const MIGRATION_LOCK = 7_314_220_051;

/**
 * Apply drizzle-kit's migrations in one transaction under an advisory lock, so two processes
 * starting together serialise: the second waits, then sees everything applied and does nothing.
 */
export async function migrate(db: PgDatabase<PgQueryResultHKT, any>): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(
      sql`create table if not exists moneyprinter_migrations (hash text primary key, created_at bigint not null, applied_at timestamptz not null default now())`,
    );
    const applied = await tx.execute(sql`select hash from moneyprinter_migrations`);
    const done = new Set(rowsOf<{ hash: string }>(applied).map((r) => r.hash));
    let count = 0;
    for (const m of migrations) {
      if (done.has(m.hash)) continue;
      for (const statement of m.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into moneyprinter_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`);
      count++;
    }
    return count;
  });
}

/** postgres.js returns the rows as the result; PGlite returns { rows }. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
