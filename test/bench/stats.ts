/** Latency samples in milliseconds, and the few statistics the report prints. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

export const summarize = (samples: readonly number[]): LatencySummary => {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
};

export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** How often each value occurs, e.g. `{ "2": 9731 }` DynamoDB calls per request. */
export type Distribution = Record<string, number>;

export const countInto = (distribution: Distribution, value: string | number): void => {
  const key = String(value);
  distribution[key] = (distribution[key] ?? 0) + 1;
};

/** `2×9731` or `2×9000 3×12`: the values, most frequent first. */
export const formatDistribution = (distribution: Distribution): string =>
  Object.entries(distribution)
    .sort(([, a], [, b]) => b - a)
    .map(([value, count]) => `${value}×${count}`)
    .join(' ') || '–';

/**
 * Keeps at most `capacity` samples (a long run at a high rate stays in bounded
 * memory) and counts the ones it had to drop.
 */
export class SampleBuffer {
  readonly values: number[] = [];
  dropped = 0;
  constructor(private readonly capacity = 2_000_000) {}
  push(value: number): void {
    if (this.values.length < this.capacity) this.values.push(value);
    else this.dropped += 1;
  }
}
