import { describe, expect, it } from 'vitest';
import { withIdempotency } from '#domain/idempotency/idempotency';
import { ConflictError, UnprocessableError } from '#domain/shared/errors';
import { unique } from './support/fixture.ts';

const call = (scope: string, key: string, body: unknown) => ({ scope, key, operation: 'createThing', fingerprint: { body } });

describe('idempotency keys', () => {
  it('runs once and replays the first reply for a repeat', async () => {
    const key = unique('k');
    let runs = 0;
    const run = async (): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> => ({
      status: 201,
      body: { n: ++runs },
    });
    const first = await withIdempotency(call('usr_a', key, { a: 1 }), run);
    const second = await withIdempotency(call('usr_a', key, { a: 1 }), run);
    expect(runs).toBe(1);
    expect(second.body).toEqual(first.body);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
  });

  it('answers 422 to the same key with a different body', async () => {
    const key = unique('k');
    await withIdempotency(call('usr_a', key, { a: 1 }), async () => ({ status: 201 }));
    await expect(withIdempotency(call('usr_a', key, { a: 2 }), async () => ({ status: 201 }))).rejects.toThrow(UnprocessableError);
  });

  it('answers 409 while the first request is still running', async () => {
    const key = unique('k');
    let release: () => void = () => undefined;
    const slow = withIdempotency(
      call('usr_a', key, {}),
      () => new Promise<{ status: number }>((resolve) => (release = () => resolve({ status: 201 }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(withIdempotency(call('usr_a', key, {}), async () => ({ status: 201 }))).rejects.toThrow(ConflictError);
    release();
    await slow;
  });

  it('keeps callers apart: the same key from another caller runs again', async () => {
    const key = unique('k');
    let runs = 0;
    await withIdempotency(call('usr_a', key, {}), async () => ({ status: 201, body: ++runs }));
    await withIdempotency(call('usr_b', key, {}), async () => ({ status: 201, body: ++runs }));
    expect(runs).toBe(2);
  });

  it('releases the key when the first attempt fails, so a retry can run', async () => {
    const key = unique('k');
    await expect(withIdempotency(call('usr_a', key, {}), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withIdempotency(call('usr_a', key, {}), async () => ({ status: 201 }))).resolves.toMatchObject({ status: 201 });
  });
});
