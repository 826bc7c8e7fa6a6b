import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'commands/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The simulators listen on loopback ports; files run in parallel processes.
    pool: 'forks',
    // Tests spawn bin/deploy-medic.js, which runs dist/: rebuilt first when a source changed.
    globalSetup: ['test/helpers/build-dist.ts'],
  },
});
