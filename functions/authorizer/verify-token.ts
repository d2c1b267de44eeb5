import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { importJWK, type JWK, jwtVerify } from 'jose';
import { optionalEnv, requiredEnv } from '#domain/shared/config';

/** The issuer and audience of tokens minted by the local runtime's dev key. */
export const localIssuer = 'partner-portal-local';
export const localAudience = 'partner-portal';

export interface VerifiedIdentity {
  email: string;
}

type Verifier = (token: string) => Promise<VerifiedIdentity>;

const localVerifier = (): Verifier => {
  const jwk = JSON.parse(requiredEnv('LOCAL_JWT_PUBLIC_JWK')) as JWK;
  const key = importJWK(jwk, 'ES256');
  return async (token) => {
    const { payload } = await jwtVerify(token, await key, { issuer: localIssuer, audience: localAudience, algorithms: ['ES256'] });
    if (typeof payload.email !== 'string') throw new Error('token carries no email');
    return { email: payload.email };
  };
};

const cognitoVerifier = (): Verifier => {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: requiredEnv('USER_POOL_ID'),
    clientId: requiredEnv('USER_POOL_CLIENT_ID'),
    tokenUse: 'id',
  });
  return async (token) => {
    const payload = await verifier.verify(token);
    if (typeof payload.email !== 'string' || payload.email_verified !== true) throw new Error('token carries no verified email');
    return { email: payload.email };
  };
};

let verifier: Verifier | undefined;

/**
 * Local mode trusts only the dev key handed over by the local runtime; it is
 * never set in a deployed stack, where tokens must come from the user pool.
 */
export const verifyToken = (token: string): Promise<VerifiedIdentity> => {
  verifier ??= optionalEnv('AUTH_MODE') === 'local' ? localVerifier() : cognitoVerifier();
  return verifier(token);
};
