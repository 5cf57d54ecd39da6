import { createHash } from "node:crypto";

/** A stable 32-bit number from a string: same term, same look/order, every run. */
export function stableHash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}
