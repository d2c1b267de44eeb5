import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { optionalEnv } from './config.ts';
import { useCursorKey } from './cursor.ts';

/** Long enough to spare Secrets Manager, short enough that a rotated key is picked up within the hour. */
const maxAgeSeconds = 15 * 60;
let loadedAt = 0;

/**
 * In a deployed stack the cursor signing key lives in Secrets Manager
 * (CURSOR_KEY_SECRET_ARN); it is fetched at cold start and refreshed now and
 * then. Locally and in tests CURSOR_KEY is used directly and nothing is fetched.
 */
export const loadCursorKey = async (): Promise<void> => {
  const secretArn = optionalEnv('CURSOR_KEY_SECRET_ARN');
  if (!secretArn || Date.now() - loadedAt < maxAgeSeconds * 1000) return;
  const value = await getSecret(secretArn, { maxAge: maxAgeSeconds });
  if (typeof value !== 'string' || value.length < 32) throw new Error('The cursor key secret is missing or too short');
  useCursorKey(value);
  loadedAt = Date.now();
};
