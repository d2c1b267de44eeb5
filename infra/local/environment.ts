/**
 * The environment the handlers read. Domain and function modules read some
 * of it once, when first imported or first used (the DynamoDB endpoint, the
 * table name, the dev public key, the cursor key), so within one process it
 * must not change after the first runtime started; a second runtime with other
 * values would be served by modules still holding the first ones.
 */
export interface RuntimeEnvironment {
  AUTH_MODE: 'local';
  AWS_REGION: string;
  DYNAMODB_ENDPOINT: string;
  TABLE_NAME: string;
  CURSOR_KEY: string;
  LOCAL_JWT_PUBLIC_JWK: string;
  IMPERSONATION_TOKEN_KEY: string;
}

export class RuntimeEnvironmentError extends Error {
  override readonly name = 'RuntimeEnvironmentError';
}

let applied: RuntimeEnvironment | undefined;

export const applyRuntimeEnvironment = (environment: RuntimeEnvironment): void => {
  if (applied) {
    const changed = (Object.keys(environment) as (keyof RuntimeEnvironment)[]).filter((name) => applied?.[name] !== environment[name]);
    if (changed.length > 0) {
      throw new RuntimeEnvironmentError(
        `This process already ran a local runtime with other ${changed.join(', ')}; modules keep the first values. ` +
          'Use one runtime configuration per process (per test file).',
      );
    }
  }
  Object.assign(process.env, environment);
  applied = environment;
};
