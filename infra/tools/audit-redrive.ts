/**
 * Replays audit stream failures through the audit consumer, removing each
 * one whose records were all recorded. See `usage` below; the work itself is
 * in `redrive.ts`.
 */
import { parseArgs } from 'node:util';
import { createLambdaRuntime } from '../local/lambda-runtime.ts';
import { auditFunction } from '../local/stream-poller.ts';
import { directoryFailureStore } from './directory-failure-store.ts';
import { type FailureStore, formatRedriveSummary, type RedriveOutcome, redriveFailures } from './redrive.ts';
import { s3FailureStore } from './s3-failure-store.ts';

const usage = `Usage:
  npx tsx infra/tools/audit-redrive.ts --dir <folder> [--table <name>] [--endpoint <url>]
      the local dead-letter folder (<DATA_DIR>/audit-dead-letters, or the temp folder the runtime logged),
      against DynamoDB Local (default endpoint: DYNAMODB_ENDPOINT, else http://127.0.0.1:8000)
  npx tsx infra/tools/audit-redrive.ts --bucket <name> [--prefix <prefix>] --table <name>
      the stack's S3 failure bucket, against the table in AWS (credentials and AWS_REGION from the environment)

--table defaults to TABLE_NAME, and locally to partner-portal. The consumer reads AUDIT_RETENTION_DAYS
as the deployed function does: set it to the stack's value. Exits 1 when any failure was kept.`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Plan {
  store: FailureStore;
  environment: Record<string, string | undefined>;
}

const planOf = (args: string[]): Plan | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string' },
      bucket: { type: 'string' },
      prefix: { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (Boolean(values.dir) === Boolean(values.bucket)) throw new UsageError('Give exactly one of --dir and --bucket.');
  if (values.dir) {
    if (values.prefix) throw new UsageError('--prefix goes with --bucket.');
    return {
      store: directoryFailureStore(values.dir),
      environment: {
        TABLE_NAME: values.table ?? process.env.TABLE_NAME ?? 'partner-portal',
        DYNAMODB_ENDPOINT: values.endpoint ?? process.env.DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000',
        AWS_REGION: process.env.AWS_REGION ?? 'local',
      },
    };
  }
  const table = values.table ?? process.env.TABLE_NAME;
  if (!table) throw new UsageError('--bucket needs --table (or TABLE_NAME): the deployed table has a generated name.');
  return {
    store: s3FailureStore({ bucket: values.bucket ?? '', ...(values.prefix ? { prefix: values.prefix } : {}) }),
    // A DYNAMODB_ENDPOINT left in the shell would send the entries to a local table instead.
    environment: { TABLE_NAME: table, DYNAMODB_ENDPOINT: values.endpoint },
  };
};

const describeOutcome = (outcome: RedriveOutcome): string =>
  outcome.status === 'recorded'
    ? `recorded  ${outcome.key} (${outcome.records} record(s))`
    : `${outcome.status.padEnd(9)} ${outcome.key}: ${outcome.reason}`;

const main = async (): Promise<number> => {
  let plan: Plan | 'help';
  try {
    plan = planOf(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (plan === 'help') {
    console.log(usage);
    return 0;
  }
  for (const [name, value] of Object.entries(plan.environment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  // The consumer's module is loaded on the first invocation, after this: it reads the environment when loaded.
  // Its timeout is the deployed consumer's (infra/constructs/audit-consumer.ts).
  const lambda = createLambdaRuntime({ timeoutMs: 60_000 });
  const summary = await redriveFailures({
    store: plan.store,
    invoke: (event) => lambda.invoke(auditFunction, event),
    onOutcome: (outcome) => console.log(describeOutcome(outcome)),
  });
  console.log(`\n${formatRedriveSummary(summary)}`);
  return summary.outcomes.every((outcome) => outcome.status === 'recorded') ? 0 : 1;
};

process.exitCode = await main();
