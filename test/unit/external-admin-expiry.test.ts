import { describe, expect, it } from 'vitest';
import { expirySeconds, isoOfSeconds } from '#domain/delegation/external-admin-expiry';
import { ValidationError } from '#domain/shared/errors';

const now = Date.parse('2026-06-01T12:00:00.500Z');
const day = 86_400;
const nowSeconds = Math.floor(now / 1000);

describe('external admin expiry', () => {
  it('defaults to 365 days from now, in whole seconds', () => {
    expect(expirySeconds(undefined, now)).toBe(nowSeconds + 365 * day);
  });

  it('takes any instant in the future up to 730 days ahead, dropping sub-seconds', () => {
    expect(expirySeconds('2026-06-01T12:00:01.999Z', now)).toBe(nowSeconds + 1);
    expect(expirySeconds(isoOfSeconds(nowSeconds + 730 * day), now)).toBe(nowSeconds + 730 * day);
  });

  it.each([
    ['now', '2026-06-01T12:00:00.900Z', 'must be in the future'],
    ['yesterday', '2026-05-31T12:00:00.000Z', 'must be in the future'],
    ['a second beyond 730 days', isoOfSeconds(nowSeconds + 730 * day + 1), 'must be at most 730 days ahead'],
  ])('refuses %s with a field error on body.expiresAt', (_, at, message) => {
    expect(() => expirySeconds(at, now)).toThrow(ValidationError);
    expect(() => expirySeconds(at, now)).toThrow(expect.objectContaining({ errors: [{ path: 'body.expiresAt', message }] }));
  });
});
