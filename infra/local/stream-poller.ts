import type { LambdaRuntime } from './lambda-runtime.ts';

/**
 * The seam for the table's stream. In AWS an event source mapping reads the
 * stream and invokes the audit function; locally a poller started by the
 * runtime does that job (DescribeStream / GetShardIterator / GetRecords),
 * invoking the function through `lambda` so it runs as every other function does.
 */
export interface StreamPollerContext {
  endpoint: string;
  tableName: string;
  streamArn: string;
  lambda: LambdaRuntime;
  log: (line: string) => void;
}

export interface StreamPoller {
  /** Stops polling and resolves once no batch is in flight. */
  stop(): Promise<void>;
}

export type StartStreamPoller = (context: StreamPollerContext) => Promise<StreamPoller>;

/** No stream consumer exists yet, so nothing reads the stream; the audit work replaces this with the real poller. */
export const startStreamPoller: StartStreamPoller = async () => ({ stop: async () => {} });
