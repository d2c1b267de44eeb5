import { ValidationError } from '../shared/errors.ts';

const daySeconds = 24 * 60 * 60;

/** Without an `expiresAt`, an external administrator lasts a year. */
export const defaultExpiryDays = 365;

/** Delegated administration is bounded, as delegated-admin relationships elsewhere are: two years at most. */
export const maxExpiryDays = 730;

const invalid = (message: string) => new ValidationError(`expiresAt ${message}`, { errors: [{ path: 'body.expiresAt', message }] });

/**
 * The expiry of a new external administrator, in epoch seconds (the table's
 * TTL attribute): the requested instant, which must lie in the future and at
 * most `maxExpiryDays` ahead, or `defaultExpiryDays` from now. Sub-second
 * precision is dropped, as the TTL attribute keeps whole seconds.
 */
export const expirySeconds = (requested: string | undefined, now: number = Date.now()): number => {
  const nowSeconds = Math.floor(now / 1000);
  if (requested === undefined) return nowSeconds + defaultExpiryDays * daySeconds;
  const seconds = Math.floor(Date.parse(requested) / 1000);
  if (!Number.isFinite(seconds)) throw invalid('must be an ISO 8601 timestamp');
  if (seconds <= nowSeconds) throw invalid('must be in the future');
  if (seconds > nowSeconds + maxExpiryDays * daySeconds) throw invalid(`must be at most ${maxExpiryDays} days ahead`);
  return seconds;
};

/** Epoch seconds as the API writes instants. */
export const isoOfSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString();
