import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `cdk synth` runs the stack definition outside any function: no TABLE_NAME.
 * A schema that reaches an entity module through an import throws at load
 * there, which the in-process infra tests cannot see (their environment has a
 * table name), so the definition is loaded in a child without one.
 */
describe('the stack definition', () => {
  it('loads with no table environment, as `cdk synth` runs it', () => {
    const { TABLE_NAME: _omitted, ...env } = process.env;
    const modules = ['functions/http/routes.ts', 'infra/stacks/portal.ts'].map((path) => pathToFileURL(path).href);
    const script = `for (const m of ${JSON.stringify(modules)}) await import(m); process.stdout.write('loaded');`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...env, NODE_NO_WARNINGS: '1' },
      encoding: 'utf8',
    });
    expect(child.stderr).not.toMatch(/Environment variable \w+ is not set/);
    expect(child.stdout).toBe('loaded');
  }, 60_000);
});
