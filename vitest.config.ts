import { defineConfig } from "vitest/config";

// Two projects: fast unit tests, and integration tests that start a real nats-server and real git repos.
export default defineConfig({
  test: {
    setupFiles: ["test/helpers/setup.ts"],
    // Only the integration project runs in forks. Its tests mostly wait on nats-server, git and child
    // processes: one fork at a time (vitest's default on two cores) kept the CPU a quarter busy and the
    // suite at 15 min. (A project cannot set this itself.)
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          exclude: ["test/**/*.int.test.ts"],
          // The ts-morph skills take about 2 s alone and several times that beside the integration project.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.int.test.ts", "test/e2e/**/*.int.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
    ],
  },
});
