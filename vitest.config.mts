import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/infra needs the Bicep compiler: `npm run test:infra`.
    exclude: [...configDefaults.exclude, 'test/infra/**'],
    // One Azurite for the run, on free ports, in memory; each test file uses its own table and queues.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on clocks, queues and sockets, not the CPU: vitest's default (one worker per
    // core less one) would run them one file at a time on a 2-core machine.
    maxWorkers: 4,
  },
});
