import postgres from "postgres";
import { createDatabase, type Database } from "./client.ts";

export interface TestDatabaseTarget {
  name: "pglite" | "postgres";
  /** A fresh, migrated, empty database for one test file. */
  open(): Promise<Database & { url?: string }>;
}

/**
 * The databases every database test runs against: PGlite always, and a real Postgres whenever
 * TEST_DATABASE_URL is set (.ci/run sets it). Each open() makes a new database, dropped on close.
 */
export function testDatabases(env: NodeJS.ProcessEnv = process.env): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [
    { name: "pglite", open: () => createDatabase({ dataDir: "memory" }) },
  ];
  const url = env.TEST_DATABASE_URL;
  if (url) targets.push({ name: "postgres", open: () => freshPostgres(url) });
  return targets;
}

export async function freshPostgresUrl(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mp_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function freshPostgres(baseUrl: string): Promise<Database & { url: string }> {
  const { url, drop } = await freshPostgresUrl(baseUrl);
  const database = await createDatabase({ url, max: 10 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await drop();
    },
  };
}
export * from "./testing-cluster.ts";
