import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanupOnExit } from '#infra/local/process-cleanup';
import { median } from './stats.ts';

/**
 * Each Lambda function's bundle, as `cdk synth` builds it for AWS: its size,
 * and the time a fresh Node process takes to import it (the part of a cold
 * start our code controls). Functions are found by the `partner-portal:function`
 * metadata next to `aws:asset:path` in the synthesized templates, never by
 * globbing asset folders.
 */
export interface BundleResult {
  function: string;
  stack: string;
  bytes: number;
  /** With the function's own environment, NODE_OPTIONS (`--enable-source-maps`) included, as Lambda runs it. */
  importMs: { median: number; runs: number[] };
  /** The same without NODE_OPTIONS: what source-map support costs at import. */
  importMsWithoutSourceMaps: { median: number; runs: number[] };
}

export interface BundleReport {
  region: string;
  synthSeconds: number;
  bundles: BundleResult[];
}

const repoRoot = new URL('../../', import.meta.url).pathname;
const region = 'eu-west-1';
const synthTimeoutMs = 5 * 60_000;
const importTimeoutMs = 30_000;

/** Runs a command in its own process group, so a timeout can end it and everything it started (cdk runs tsx and esbuild). */
const run = (command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs: number }) =>
  new Promise<string>((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const unregister = cleanupOnExit(killGroup);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => {
      killGroup();
      reject(new Error(`${command} ${args.join(' ')} took over ${options.timeoutMs / 1000} s and was stopped`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      unregister();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      unregister();
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${stderr.trim()}`));
    });
  });

interface SynthesizedFunction {
  function: string;
  stack: string;
  file: string;
  environment: Record<string, string>;
}

interface TemplateResource {
  Type?: string;
  Metadata?: Record<string, unknown>;
  Properties?: { Environment?: { Variables?: Record<string, unknown> } };
}

/** References to other stacks cannot be resolved offline: they become placeholders, enough for config read at import. */
const environmentOf = (resource: TemplateResource): Record<string, string> =>
  Object.fromEntries(
    Object.entries(resource.Properties?.Environment?.Variables ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : `bench-placeholder-${name.toLowerCase()}`,
    ]),
  );

const functionsIn = async (outDir: string): Promise<SynthesizedFunction[]> => {
  const found: SynthesizedFunction[] = [];
  for (const name of (await readdir(outDir)).filter((file) => file.endsWith('.template.json')).sort()) {
    const template = JSON.parse(await readFile(join(outDir, name), 'utf8')) as { Resources?: Record<string, TemplateResource> };
    for (const resource of Object.values(template.Resources ?? {})) {
      const key = resource.Metadata?.['partner-portal:function'];
      const asset = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || typeof key !== 'string' || typeof asset !== 'string') continue;
      found.push({
        function: key,
        stack: name.replace(/\.template\.json$/, ''),
        file: join(outDir, asset, 'index.mjs'),
        environment: environmentOf(resource),
      });
    }
  }
  return found;
};

const importScript = [
  'const started = performance.now();',
  'const module = await import(process.env.BENCH_BUNDLE_URL);',
  'const elapsed = performance.now() - started;',
  "if (typeof module.handler !== 'function') throw new Error('no handler export');",
  'process.stdout.write(String(elapsed));',
  'process.exit(0);',
].join('\n');

/** A fresh process with the function's own environment (NODE_OPTIONS included) and nothing of ours. */
const timeImport = async (fn: SynthesizedFunction, sourceMaps: boolean): Promise<number> => {
  const { NODE_OPTIONS, ...environment } = fn.environment;
  const output = await run(process.execPath, ['--input-type=module', '-e', importScript], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...environment,
      ...(sourceMaps && NODE_OPTIONS ? { NODE_OPTIONS } : {}),
      BENCH_BUNDLE_URL: pathToFileURL(fn.file).href,
    },
    timeoutMs: importTimeoutMs,
  });
  const ms = Number(output.trim());
  if (!Number.isFinite(ms)) throw new Error(`Importing ${fn.file} printed ${JSON.stringify(output)} instead of a time`);
  return ms;
};

export const reportBundles = async (options: { importRuns: number; log: (line: string) => void }): Promise<BundleReport> => {
  const outDir = await mkdtemp(join(tmpdir(), 'partner-portal-bench-synth-'));
  try {
    const started = performance.now();
    await run('npx', ['cdk', 'synth', '-q', '-c', `region=${region}`, '--output', outDir], { timeoutMs: synthTimeoutMs });
    const synthSeconds = (performance.now() - started) / 1000;
    options.log(`  synthesized in ${synthSeconds.toFixed(1)} s`);
    const bundles: BundleResult[] = [];
    for (const fn of await functionsIn(outDir)) {
      const runs: number[] = [];
      const runsWithout: number[] = [];
      // Alternated, so a burst of load elsewhere on the machine hits both alike.
      for (let i = 0; i < options.importRuns; i++) {
        runs.push(await timeImport(fn, true));
        runsWithout.push(await timeImport(fn, false));
      }
      bundles.push({
        function: fn.function,
        stack: fn.stack,
        bytes: (await stat(fn.file)).size,
        importMs: { median: median(runs), runs },
        importMsWithoutSourceMaps: { median: median(runsWithout), runs: runsWithout },
      });
    }
    if (bundles.length === 0) throw new Error('The synthesized templates name no partner-portal:function; was the metadata renamed?');
    return { region, synthSeconds, bundles };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
};
