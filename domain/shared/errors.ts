/**
 * Domain errors carry their HTTP status and a stable problem type so the error
 * middleware maps them without a switch. `expose` marks errors whose message is
 * safe to show to the caller; anything else becomes a fixed 500.
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly expose = true;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;

  constructor(
    message: string,
    options?: {
      cause?: unknown;
      errors?: FieldError[];
      extensions?: Record<string, unknown>;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.errors) this.errors = options.errors;
    if (options?.extensions) this.extensions = options.extensions;
  }
}

export class ValidationError extends DomainError {
  readonly statusCode = 400;
  readonly type = 'validation-error';
  readonly title = 'The request is not valid';
}

export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
  readonly type = 'unauthorized';
  readonly title = 'Authentication is required';
}

export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  readonly type = 'forbidden';
  readonly title = 'Not allowed';
}

/** Inside the caller's sight, but the customer has switched partner access off and the caller is not one of its own. */
export class PartnerAccessOffError extends DomainError {
  readonly statusCode = 403;
  readonly type = 'partner-access-off';
  readonly title = 'Partner access is off';
}

export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly type = 'not-found';
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends DomainError {
  readonly statusCode = 405;
  readonly type = 'method-not-allowed';
  readonly title = 'Method not allowed';
}

export class ConflictError extends DomainError {
  readonly statusCode = 409;
  readonly type = 'conflict';
  readonly title = 'Conflict';
}

export class PreconditionFailedError extends DomainError {
  readonly statusCode = 412;
  readonly type = 'precondition-failed';
  readonly title = 'The resource has changed';
}

export class PreconditionRequiredError extends DomainError {
  readonly statusCode = 428;
  readonly type = 'precondition-required';
  readonly title = 'If-Match is required';
}

export class UnprocessableError extends DomainError {
  readonly statusCode = 422;
  readonly type = 'unprocessable';
  readonly title = 'The request cannot be processed';
}

export class TooManyRequestsError extends DomainError {
  readonly statusCode = 429;
  readonly type = 'too-many-requests';
  readonly title = 'Too many requests';
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

/**
 * A versioned write lost its race: with If-Match the client named a version
 * that is gone (412); without it, the change read at the start of the
 * request moved on before the write (409, read it again and retry).
 */
export const changedMeanwhile = (what: string, ifMatch: number | null): DomainError =>
  ifMatch === null
    ? new ConflictError(`The ${what} changed while this request ran; read it again and retry`)
    : new PreconditionFailedError(`The ${what} changed since the version named in If-Match`);
