import type { Db } from "@moneyprinter/db";
import { writeGuarded, type NewEvent } from "./guarded-writes.ts";
import type { Lease } from "./sql.ts";

export type { NewEvent };

/** A running job's event, written only while `lease` still holds it. Returns the event id, or null when the lease is gone. */
export async function appendEvent(db: Db, lease: Lease, event: NewEvent): Promise<number | null> {
  const [id] = await writeGuarded(db, [{ kind: "event", lease, event }]);
  return id ?? null;
}
