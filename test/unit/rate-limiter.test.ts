import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '#infra/local/rate-limiter';

/** The local runtime's stand-in for API Gateway's throttling of the public form: a token bucket per route and address. */
describe('local rate limiter', () => {
  const limit = { rateLimit: 2, burstLimit: 3 };

  it('lets a burst through, then refuses with the seconds until the next token', () => {
    const limiter = createRateLimiter();

    const answers = [0, 0, 0, 0].map(() => limiter.take('form 198.51.100.1', limit, 1_000));

    expect(answers.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(answers[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the rate, never beyond the burst', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 3; i++) limiter.take('k', limit, 0);

    expect(limiter.take('k', limit, 499)).toMatchObject({ allowed: false });
    expect(limiter.take('k', limit, 1_000)).toEqual({ allowed: true });
    const later = [0, 0, 0, 0].map(() => limiter.take('k', limit, 60_000));
    expect(later.filter((answer) => answer.allowed)).toHaveLength(3);
  });

  it('keeps each address to its own bucket', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 3; i++) limiter.take('form 198.51.100.1', limit, 0);

    expect(limiter.take('form 198.51.100.1', limit, 0)).toMatchObject({ allowed: false });
    expect(limiter.take('form 198.51.100.2', limit, 0)).toEqual({ allowed: true });
  });
});
