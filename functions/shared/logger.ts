import { Logger } from '@aws-lambda-powertools/logger';

/** One logger per function, created at module load as Powertools recommends. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'partner-portal' });
