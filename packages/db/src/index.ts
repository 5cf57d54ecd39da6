export * from "./schema/index.ts";
export { createDatabase, type Database, type DatabaseOptions, type Db } from "./client.ts";
export { DataDirLockedError } from "./lock.ts";
export { migrate, migrationsFolder, rowsOf } from "./migrate.ts";
export { CHANNELS } from "./channels.ts";
export { queryRows } from "./raw.ts";
