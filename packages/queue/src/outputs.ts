import { sql } from "drizzle-orm";
import type { Db } from "@moneyprinter/db";
import { holdsLease, jsonb, rows, type Lease } from "./sql.ts";

export interface ArtifactInput {
  kind: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  durationSeconds: number | null;
}

/** Record (or replace, by path) a file the job produced, while the lease holds. False when it is gone. */
export async function saveArtifact(db: Db, lease: Lease, a: ArtifactInput): Promise<boolean> {
  const saved = await rows<{ id: string }>(
    db,
    sql`insert into artifacts (job_id, kind, path, size_bytes, sha256, duration_seconds)
        select ${lease.jobId}::uuid, ${a.kind}::text, ${a.path}::text, ${a.sizeBytes}::bigint, ${a.sha256}::text, ${a.durationSeconds}::float8
         where ${holdsLease(lease)}
        on conflict (job_id, path) do update
           set kind = excluded.kind, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
               duration_seconds = excluded.duration_seconds, created_at = now()
        returning id`,
  );
  return saved.length > 0;
}

export async function listArtifacts(db: Db, jobId: string): Promise<ArtifactInput[]> {
  const found = await rows<{ kind: string; path: string; size_bytes: number | string; sha256: string; duration_seconds: number | null }>(
    db,
    sql`select kind, path, size_bytes, sha256, duration_seconds from artifacts where job_id = ${jobId}::uuid order by created_at, path`,
  );
  return found.map((r) => ({
    kind: r.kind,
    path: r.path,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    durationSeconds: r.duration_seconds === null ? null : Number(r.duration_seconds),
  }));
}

export interface ScriptFields {
  script: string | null;
  searchTerms: string[] | null;
  title: string | null;
  description: string | null;
  keywords: string[] | null;
}

/**
 * Merge the given fields into the job's script row (what the LLM wrote survives a retry), while
 * the lease holds. Fields left out keep their stored value. False when the lease is gone.
 */
export async function saveScript(db: Db, lease: Lease, s: Partial<ScriptFields>): Promise<boolean> {
  const has = (k: keyof ScriptFields) => Object.prototype.hasOwnProperty.call(s, k);
  // each column is replaced only when the caller passed it: `case when <given> then excluded.x else scripts.x end`
  const saved = await rows<{ job_id: string }>(
    db,
    sql`insert into scripts (job_id, script, search_terms, title, description, keywords)
        select ${lease.jobId}::uuid, ${s.script ?? null}::text, ${jsonb(s.searchTerms)}, ${s.title ?? null}::text,
               ${s.description ?? null}::text, ${jsonb(s.keywords)}
         where ${holdsLease(lease)}
        on conflict (job_id) do update set
          script = case when ${has("script")}::boolean then excluded.script else scripts.script end,
          search_terms = case when ${has("searchTerms")}::boolean then excluded.search_terms else scripts.search_terms end,
          title = case when ${has("title")}::boolean then excluded.title else scripts.title end,
          description = case when ${has("description")}::boolean then excluded.description else scripts.description end,
          keywords = case when ${has("keywords")}::boolean then excluded.keywords else scripts.keywords end,
          updated_at = now()
        returning job_id`,
  );
  return saved.length > 0;
}

export async function getScript(db: Db, jobId: string): Promise<ScriptFields | null> {
  const [r] = await rows<{ script: string | null; search_terms: string[] | null; title: string | null; description: string | null; keywords: string[] | null }>(
    db,
    sql`select script, search_terms, title, description, keywords from scripts where job_id = ${jobId}::uuid`,
  );
  if (!r) return null;
  return { script: r.script, searchTerms: r.search_terms, title: r.title, description: r.description, keywords: r.keywords };
}
