import type { Db } from "@moneyprinter/db";
import { writeGuarded } from "./guarded-writes.ts";
import type { Lease } from "./sql.ts";

/**
 * running → completed, by the lease holder only, with its `complete` event (payload {path}).
 * False when the lease is gone: the job was taken over, cancelled or swept, and stays as it is.
 */
export async function completeJob(db: Db, lease: Lease, resultPath: string): Promise<boolean> {
  const [id] = await writeGuarded(db, [{ kind: "complete", lease, resultPath }]);
  return id != null;
}
