import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isDomainError } from '#domain/shared/errors';
import { logger } from '../shared/logger.ts';
import { problemBase, problemResponse } from './problem.ts';

/**
 * Last in the stack: every error becomes an RFC 9457 problem document. Domain
 * errors carry their own status and type; anything else is a bug, logged with
 * its cause and answered with a fixed 500 that leaks nothing.
 */
export const problemErrorHandler = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const error = request.error;
    if (isDomainError(error)) {
      request.response = problemResponse({
        type: `${problemBase}${error.type}`,
        title: error.title,
        status: error.statusCode,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
        ...(error.extensions ?? {}),
      });
      if (error.statusCode >= 500) logger.error('request failed', { error });
      return;
    }
    logger.error('unhandled error', { error: error as Error });
    request.response = problemResponse({
      type: `${problemBase}internal`,
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred. It has been logged.',
    });
  },
});
