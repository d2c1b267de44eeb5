import { configDefaults, defineConfig } from 'vitest/config';

/** Tests that never touch the network: no DynamoDB Local is started for them. */
const offline = ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'];
/** Benchmarks run with `npm run bench`, never in `npm test`. */
const bench = ['test/bench/**', 'bench/**'];

// Handler logs drown test output; POWERTOOLS_LOG_LEVEL=DEBUG npx vitest … brings them back.
const logLevel = process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT';

export default defineConfig({
  test: {
    pool: 'forks',
    // Lambda runs Node 22; this machine's Node 20 only earns the SDK's upgrade notice.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Generous: CI machines are small, and a timeout guards against hangs, it measures nothing (speed is the bench's).
    testTimeout: 60_000,
    // A journey's beforeAll starts and seeds the whole demo runtime; beside the property run on two cores it once took over 60 s.
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: offline,
          exclude: [...configDefaults.exclude, ...bench],
          env: {
            TABLE_NAME: 'unit',
            POWERTOOLS_LOG_LEVEL: logLevel,
            AWS_REGION: 'eu-west-1',
            AWS_ACCESS_KEY_ID: 'unit',
            AWS_SECRET_ACCESS_KEY: 'unit',
          },
        },
      },
      {
        extends: true,
        test: {
          name: 'dynamodb',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...offline, ...bench],
          // One DynamoDB Local for the run; each test file gets its own table before its imports run.
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/env.ts'],
          env: { POWERTOOLS_LOG_LEVEL: logLevel },
        },
      },
    ],
  },
});
