import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// Shared by every package's vitest.config.ts.
export default defineConfig({
  resolve: {
    // one `graphql` module instance: two copies make instanceof checks fail with realm errors
    alias: ((): Record<string, string> => {
      try {
        return { graphql: require.resolve("graphql/index.js").replace(/index\.js$/, "") };
      } catch {
        return {}; // graphql not installed yet
      }
    })(),
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // the machine has 2 cores; database tests start servers and Postgres databases
    fileParallelism: true,
    maxWorkers: 2,
  },
});
