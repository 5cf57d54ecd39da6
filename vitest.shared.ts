import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

// Shared by every package's vitest.config.ts.
export default defineConfig({
  resolve: {
    // one `graphql` module instance: two copies make instanceof checks fail with realm errors.
    // Node (and so every dependency vitest leaves to Node: graphql-yoga, graphql-ws, Pothos) loads
    // graphql's CommonJS index.js, since graphql 16 has no "exports" map; vite would pick the
    // "module" entry (index.mjs) for our own source files. Point bare `graphql` at the file Node
    // loads, so both sides share one instance.
    alias: ((): { find: RegExp; replacement: string }[] => {
      try {
        return [{ find: /^graphql$/, replacement: require.resolve("graphql") }];
      } catch {
        return []; // graphql not installed yet
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
