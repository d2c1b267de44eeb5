/**
 * Last-resort cleanup of the child processes the local runtime starts, so no
 * stray Java outlives Node. `stop()` is the normal path; this covers the exits
 * nobody awaited: an uncaught error, `process.exit()`, or a signal.
 *
 * A signal's default action ends Node without an 'exit' event, so signals are
 * handled too. When nobody else listens for the signal, it is raised again
 * after the cleanup, so the process still ends the way it would have.
 */
type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

const runCleanups = (): void => {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is going away and one failure must not stop the others.
    }
  }
  cleanups.clear();
};

const onSignal = (signal: NodeJS.Signals): void => {
  runCleanups();
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
};

const install = (): void => {
  if (installed) return;
  installed = true;
  process.once('exit', runCleanups);
  for (const signal of signals) process.on(signal, onSignal);
};

/**
 * Registers a synchronous cleanup (e.g. `child.kill('SIGKILL')`) to run when
 * the process exits. Returns the function that unregisters it, for `stop()`.
 */
export const cleanupOnExit = (cleanup: Cleanup): (() => void) => {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
};
