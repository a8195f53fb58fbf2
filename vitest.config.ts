import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "addin/test/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["test/setup/custom-functions.ts", "test/setup/reference-catalogue.ts"],
    // Browser tests start Chromium and a server; two cores are all there is.
    maxWorkers: 2,
    // No wall-clock limit in any test: a slow shared machine must not fail a correct one.
    testTimeout: 0,
    hookTimeout: 0,
  },
});
