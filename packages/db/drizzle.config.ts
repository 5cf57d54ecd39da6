import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations into ./drizzle; they are applied at start by src/migrate.ts.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
});
