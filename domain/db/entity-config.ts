import { requiredEnv } from '../shared/config.ts';
import { documentClient } from './client.ts';

export { service } from './service-name.ts';

/** Shared by every entity: one table, one service name in the key prefixes. */
export const entityConfig = {
  table: requiredEnv('TABLE_NAME'),
  client: documentClient,
};
