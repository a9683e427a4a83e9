import { defineConfig } from 'vitest/config';

// `npm run test:infra`: the deployment's own tier. It reads what Microsoft's Bicep compiler and the
// packaging step produced, so it needs the .NET SDK (for the compiler from NuGet) and runs apart
// from `npm test`, which needs nothing but Node.js.
export default defineConfig({
  test: {
    include: ['test/infra/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
