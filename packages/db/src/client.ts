import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema/index.ts";
import { createListener } from "./listen.ts";
import { acquireDirLock } from "./lock.ts";
import { migrate } from "./migrate.ts";

export type Schema = typeof schema;
/** The Drizzle handle every package uses; the same API over postgres.js and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly kind: "postgres" | "pglite";
  readonly db: Db;
  /** Subscribe to a NOTIFY channel; the returned function unsubscribes. */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL: use a real Postgres server (several processes or machines). */
  url?: string;
  /** Without url: PGlite stored in `<dataDir>/pglite`; "memory" keeps it in memory (tests). */
  dataDir?: string;
  /** Connections in the postgres.js pool. */
  max?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export async function createDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const database = opts.url ? openPostgres(opts.url, opts.max ?? 10) : await openPglite(opts.dataDir ?? "./.data");
  if (opts.migrate !== false) {
    try {
      await migrate(database.db);
    } catch (cause) {
      await database.close().catch(() => {});
      throw new Error(`database: migrations failed (${(cause as Error).message})`, { cause });
    }
  }
  return database;
}

/**
 * How long a dropped connection waits before it dials again, after `failures` refused attempts
 * since the last success: 50 ms doubling to at most 1 s, with jitter. postgres.js's default is
 * (0.5..1)·min(3^n/100, 20) s, and n counts the refusals of the whole pool and its LISTEN
 * connection together — every claim, renewal and sweep a worker tries while the server is down
 * adds one — so a 2–3 s restart left each connection waiting 10–20 s after the server was back
 * (measured: a worker's first claim 8–15 s after the start). One attempt a second per
 * connection costs a down server nothing.
 */
function reconnectDelaySeconds(failures: number): number {
  return Math.min(1, 0.05 * 2 ** failures) * (0.5 + Math.random() / 2);
}

function openPostgres(url: string, max: number): Database {
  const sql = postgres(url, {
    max,
    onnotice: () => {}, // "relation already exists, skipping" from IF NOT EXISTS is not news
    connection: { application_name: "moneyprinter" },
    backoff: reconnectDelaySeconds,
  });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  // one dedicated LISTEN connection, named like the pool (an application_name in the URL wins)
  const listener = createListener(url, { application_name: "moneyprinter", backoff: reconnectDelaySeconds });
  return {
    kind: "postgres",
    db,
    // re-subscribed after every drop; onReconnect fires after each re-subscription, so callers can catch up
    listen: listener.listen,
    async close() {
      await Promise.all([sql.end({ timeout: 5 }), listener.close()]);
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let release: (() => void) | undefined;
  let client: PGlite;
  if (dataDir === "memory") {
    client = new PGlite();
  } else {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    // PGlite is single-process: a second process on the same directory silently loses writes.
    release = acquireDirLock(join(dir, "pglite.lock"), dir);
    client = new PGlite(join(dir, "pglite"));
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    async listen(channel, onPayload) {
      return client.listen(channel, onPayload);
    },
    async close() {
      try {
        await client.close();
      } finally {
        release?.();
      }
    },
  };
}
