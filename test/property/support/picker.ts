/**
 * Turns a fast-check array of naturals into choices, so that every random
 * decision a request builder makes comes from fast-check (and replays from
 * its seed and path) while the builder chooses among things that only exist
 * at run time (orgs created three calls ago, the user id a POST returned).
 * Once the drawn numbers run out it continues with a PRNG seeded from them.
 */
export class Picker {
  private index = 0;
  private state: number;

  constructor(private readonly draws: readonly number[]) {
    this.state = draws.reduce((acc, n) => Math.imul(acc ^ n, 0x9e3779b1) >>> 0 || 1, 0x2545f491);
  }

  /** A natural number. */
  next(): number {
    const drawn = this.draws[this.index++];
    if (drawn !== undefined) return drawn;
    // xorshift32
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  /** True with the given probability (in percent). */
  chance(percent: number): boolean {
    return this.next() % 100 < percent;
  }

  one<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Picker.one of an empty list');
    return items[this.next() % items.length] as T;
  }

  /** One of several branches by weight: `[[3, () => a], [1, () => b]]`. */
  weighted<T>(options: readonly (readonly [number, () => T])[]): T {
    const live = options.filter(([weight]) => weight > 0);
    const total = live.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.next() % total;
    for (const [weight, make] of live) {
      if (roll < weight) return make();
      roll -= weight;
    }
    throw new Error('unreachable');
  }
}
