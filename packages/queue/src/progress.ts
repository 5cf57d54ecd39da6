import type { Db } from "@moneyprinter/db";
import { writeGuarded, type Progress } from "./guarded-writes.ts";
import type { Lease } from "./sql.ts";

export type { Progress };

/**
 * Record progress on the job row (clients draw it as a bar) and as a `log` event carrying the
 * same payload, in one statement guarded by the lease. False when the lease is gone.
 */
export async function reportProgress(db: Db, lease: Lease, progress: Progress, message: string): Promise<boolean> {
  const [id] = await writeGuarded(db, [{ kind: "progress", lease, progress, message }]);
  return id != null;
}
