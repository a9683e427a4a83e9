import { configDefaults, defineConfig } from 'vitest/config';

// Three tiers, each a vitest project (`npm run test:unit`, `test:api`, `test:e2e`; `npm test` runs
// all). Only the tiers that talk to storage start Azurite and the local CA.
const needsStorage = {
  // One Azurite and one local CA for the run (shared by the projects that name this setup), on
  // free ports, in memory; each test file uses its own table and queues.
  globalSetup: ['test/support/global-setup.ts'],
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    testTimeout: 30_000,
    pool: 'forks',
    // Most tests wait on clocks, queues and sockets, not the CPU: vitest's default (one worker per
    // core less one) would run them one file at a time on a 2-core machine.
    maxWorkers: 4,
    projects: [
      // Pure functions and files on disk: no Azurite, no CA, no host.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // The app's handlers in the test process and modules against Azurite; Microsoft's JS SDKs.
      {
        extends: true,
        test: { name: 'api', include: ['test/api/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/sdk/**/*.test.ts'], ...needsStorage },
      },
      // The local host as a process, real bots on loopback, a real browser.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...needsStorage } },
    ],
    // test/infra needs the Bicep compiler: `npm run test:infra` (vitest.infra.config.mts).
    exclude: [...configDefaults.exclude, 'test/infra/**'],
  },
});
