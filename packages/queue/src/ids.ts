const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs: anything that is not a UUID names no job (and must never reach SQL as a uuid cast). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
