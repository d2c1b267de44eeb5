import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Counts DynamoDB calls per request. The local runtime, the integration tests
 * and the bench wrap a request in `countCalls` and read how many round trips it
 * made, so "one GetItem or one Query per page" is asserted, not hoped for.
 */
export interface CallCount {
  total: number;
  byCommand: Record<string, number>;
}

// Shared through globalThis: bundled handlers each carry their own copy of this module, and the
// local runtime must still see their calls.
const storageKey = Symbol.for('partner-portal.call-count');
const registry = globalThis as { [storageKey]?: AsyncLocalStorage<CallCount> };
registry[storageKey] ??= new AsyncLocalStorage<CallCount>();
const storage = registry[storageKey];

export const countCalls = async <T>(fn: () => Promise<T>): Promise<{ result: T; calls: CallCount }> => {
  const calls: CallCount = { total: 0, byCommand: {} };
  const result = await storage.run(calls, fn);
  return { result, calls };
};

export const recordCall = (command: string): void => {
  const calls = storage.getStore();
  if (!calls) return;
  calls.total += 1;
  calls.byCommand[command] = (calls.byCommand[command] ?? 0) + 1;
};
