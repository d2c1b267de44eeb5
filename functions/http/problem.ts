import type { APIGatewayProxyResult } from 'aws-lambda';
import type { FieldError } from '#domain/shared/errors';

export const problemBase = 'https://partner-portal.dev/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemResponse = (problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyResult => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json', ...headers },
  body: JSON.stringify(problem),
});
