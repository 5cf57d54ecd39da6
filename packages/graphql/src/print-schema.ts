import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSchema } from "graphql";
import { schema } from "./schema/index.ts";

export const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));

export const HEADER = "# generated — do not edit: `npm run generate -w @moneyprinter/graphql` writes it from src/schema\n\n";

/** The committed schema.graphql's text: a test compares it with this, so it cannot go stale. */
export const printedSchema = () => HEADER + printSchema(schema) + "\n";

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, printedSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
