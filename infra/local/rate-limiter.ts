import type { RouteThrottle } from '#functions/http/route-table-types';

/** What the limiter answers: go ahead, or wait this long before the next request has a chance. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one request's token from `key`'s bucket, or refuses. */
  take(key: string, limit: RouteThrottle, now?: number): RateDecision;
}

/** Buckets kept at most; idle ones (full again) are dropped first, so a flood of addresses cannot grow it without bound. */
const maxBuckets = 10_000;

/**
 * A token bucket per key (route and source IP in the local runtime): up to
 * `burstLimit` requests at once, refilled at `rateLimit` per second, as API
 * Gateway's throttling describes itself. In memory: the local runtime is one
 * process, and a restart forgets every bucket.
 */
export const createRateLimiter = (): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refilled = (bucket: { tokens: number; at: number }, limit: RouteThrottle, now: number) =>
    Math.min(limit.burstLimit, bucket.tokens + ((now - bucket.at) / 1000) * limit.rateLimit);
  return {
    take: (key, limit, now = Date.now()) => {
      const bucket = buckets.get(key) ?? { tokens: limit.burstLimit, at: now };
      const tokens = refilled(bucket, limit, now);
      if (tokens < 1) {
        buckets.set(key, { tokens, at: now });
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.rateLimit)) };
      }
      if (!buckets.has(key) && buckets.size >= maxBuckets) {
        for (const [other, held] of buckets) if (refilled(held, limit, now) >= limit.burstLimit) buckets.delete(other);
        if (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value as string);
      }
      buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    },
  };
};
