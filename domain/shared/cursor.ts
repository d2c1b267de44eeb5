import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { optionalEnv } from './config.ts';
import { ValidationError } from './errors.ts';

/**
 * List cursors are opaque and tamper-proof: base64url(JSON) plus an HMAC over
 * it and the list it belongs to (route, org, filters). A cursor copied to
 * another org's list, edited, or forged fails verification and is a 400.
 *
 * The key comes from CURSOR_KEY (local runtime, tests) or is loaded once from
 * the stack's secret by `useCursorKey` at cold start.
 */
let key: Buffer | undefined;

export const useCursorKey = (value: string): void => {
  key = Buffer.from(value, 'utf8');
};

const signingKey = (): Buffer => {
  if (key) return key;
  const fromEnv = optionalEnv('CURSOR_KEY');
  // Without a configured key cursors still work within one container; they just don't survive a cold start.
  key = fromEnv ? Buffer.from(fromEnv, 'utf8') : randomBytes(32);
  return key;
};

const mac = (payload: string, binding: string): Buffer =>
  createHmac('sha256', signingKey()).update(binding).update('\n').update(payload).digest();

export const encodeCursor = (state: unknown, binding: string): string => {
  const payload = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, binding).toString('base64url')}`;
};

const forged = () =>
  new ValidationError('The cursor is not valid for this list', {
    errors: [{ path: 'query.cursor', message: 'invalid cursor' }],
  });

export const decodeCursor = <T>(cursor: string, binding: string): T => {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw forged();
  const expected = mac(payload, binding);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forged();
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
  } catch {
    throw forged();
  }
};
