/**
 * `npm start`: the whole API on this machine. Configuration comes from the
 * environment (API.md, "Local runtime"): PORT, DYNAMODB_PORT, DYNAMODB_ENDPOINT,
 * DATA_DIR, SEED, PLATFORM_ADMIN_EMAIL.
 */
import { type BannerRequester, type BannerUser, formatBanner } from './banner.ts';
import { DynamoDbLocalError } from './dynamodb-local.ts';
import { RuntimeEnvironmentError } from './environment.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';

const env = process.env;

const portFrom = (name: string, fallback: number): number => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number, not ${value}`);
  return port;
};

const flagFrom = (name: string, fallback: boolean): boolean => {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  return !['false', '0', 'no', 'off'].includes(value);
};

const main = async (): Promise<LocalRuntime> => {
  const adminEmail = (env.PLATFORM_ADMIN_EMAIL ?? 'admin@platform.test').trim().toLowerCase();
  const dataDir = env.DATA_DIR || undefined;
  const users: BannerUser[] = [];
  const requesters: BannerRequester[] = [];
  const runtime = await startLocalRuntime({
    port: portFrom('PORT', 3000),
    dynamoPort: portFrom('DYNAMODB_PORT', 8000),
    ...(env.DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(dataDir ? { dataDir } : {}),
    tableName: env.TABLE_NAME || 'partner-portal',
    log: (line) => console.log(line),
    seed: async () => {
      // Imported here, once the runtime has set the environment the domain reads on import.
      const { bootstrap, seedDemo } = await import('./seed.ts');
      const root = await bootstrap({ adminEmail });
      users.push({ email: adminEmail, role: 'platform-admin', orgId: root.rootOrgId, orgName: 'Platform' });
      if (flagFrom('SEED', true)) {
        const demo = await seedDemo({ adminEmail, adminUserId: root.adminUserId });
        users.push(...demo.users.filter((user) => user.email !== adminEmail));
        users.push(...demo.externalAdmins.map((grant) => ({ ...grant, role: `${grant.role} (external admin)` })));
        requesters.push(...demo.requesters);
      }
    },
  });
  console.log(
    formatBanner({
      url: runtime.url,
      endpoint: runtime.endpoint,
      tableName: runtime.tableName,
      ...(dataDir ? { dataDir } : {}),
      users,
      requesters,
    }),
  );
  return runtime;
};

const stopOn = (runtime: LocalRuntime) => {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C while stopping means "now": the exit hook still kills DynamoDB Local.
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping the API and DynamoDB Local…`);
    runtime.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

try {
  stopOn(await main());
} catch (error) {
  // Our own start-up errors explain themselves; anything else is a bug and keeps its stack.
  const explained = error instanceof DynamoDbLocalError || error instanceof RuntimeEnvironmentError;
  console.error('\nThe local runtime did not start:', explained ? error.message : error);
  process.exit(1);
}
