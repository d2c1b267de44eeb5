import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FunctionRef } from '#infra/local/lambda-runtime';

/**
 * The bundles `cdk synth` writes, found the way the deployed stack finds
 * them: each Lambda in the API template names its asset folder
 * (`aws:asset:path`) and carries our `partner-portal:function` key
 * (`http/<group>`, `authorizer`, `audit`).
 */

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const functionKeyMetadata = 'partner-portal:function';

/** Runs `npx cdk synth -q -c region=<region> --output <outDir>` from the repository root. */
export const synthesize = async ({ region, outDir, timeoutMs }: { region: string; outDir: string; timeoutMs: number }): Promise<void> => {
  // The test worker's own settings (its table, vitest's markers) are no business of the CDK app.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(?:VITEST|TABLE_NAME$|DYNAMODB_ENDPOINT$|NODE_OPTIONS$)/.test(name)),
  );
  await run('npx', ['cdk', 'synth', '-q', '-c', `region=${region}`, '--output', outDir], {
    cwd: repoRoot,
    env,
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
};

interface TemplateResource {
  Type: string;
  Metadata?: Record<string, unknown>;
  Properties?: Record<string, unknown>;
}

export interface BundledFunction {
  /** `http/orgs`, `authorizer`, … */
  key: string;
  logicalId: string;
  /** Absolute path of the bundle's `index.mjs`. */
  file: string;
  runtime: unknown;
  handler: unknown;
  /** The function's environment as the template sets it; values CloudFormation resolves at deploy time become placeholders. */
  environment: Record<string, string>;
}

const environmentOf = (properties: Record<string, unknown> | undefined): Record<string, string> => {
  const variables = (properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : `deploy-time-${name}`]),
  );
};

/** Every Lambda of the API stacks in `outDir`, keyed by function key. */
export const bundledFunctions = (outDir: string): Map<string, BundledFunction> => {
  const functions = new Map<string, BundledFunction>();
  for (const templateFile of readdirSync(outDir).filter((name) => name.endsWith('-Api.template.json'))) {
    const template = JSON.parse(readFileSync(join(outDir, templateFile), 'utf8')) as { Resources: Record<string, TemplateResource> };
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const key = resource.Metadata?.[functionKeyMetadata];
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof key !== 'string' || typeof assetPath !== 'string') continue;
      if (functions.has(key)) throw new Error(`Two functions carry the key ${key} in ${outDir}`);
      functions.set(key, {
        key,
        logicalId,
        file: join(outDir, assetPath, 'index.mjs'),
        runtime: resource.Properties?.Runtime,
        handler: resource.Properties?.Handler,
        environment: environmentOf(resource.Properties),
      });
    }
  }
  return functions;
};

/** The function key the stack gives a local function: route groups are `http/<name>`, the others their own name. */
export const functionKeyOf = (fn: FunctionRef): string => (fn.entry.startsWith('functions/http/') ? `http/${fn.name}` : fn.name);

/**
 * A `resolveBundle` for the local runtime that serves only synthesized
 * bundles (never falling back to the sources) and records what it resolved.
 */
export const bundleResolver = (functions: ReadonlyMap<string, BundledFunction>) => {
  const resolved = new Map<string, string>();
  const resolveBundle = (fn: FunctionRef): string => {
    const bundle = functions.get(functionKeyOf(fn));
    if (!bundle) throw new Error(`No bundle for function ${fn.name} (${functionKeyOf(fn)}) in the synthesized template`);
    if (!existsSync(bundle.file)) throw new Error(`The bundle of ${bundle.key} is missing: ${bundle.file}`);
    resolved.set(bundle.key, bundle.file);
    return bundle.file;
  };
  return { resolveBundle, resolved };
};
