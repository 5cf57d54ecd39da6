import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // every test spawns real ffmpeg; on a shared 2-core machine a 0.5 s spawn can take 10 s
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: ["src/__tests__/setup.ts"],
  },
});
