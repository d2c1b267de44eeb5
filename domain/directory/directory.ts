import { AdminCreateUserCommand, CognitoIdentityProviderClient, UsernameExistsException } from '@aws-sdk/client-cognito-identity-provider';
import { optionalEnv } from '../shared/config.ts';

let client: CognitoIdentityProviderClient | undefined;

export type Invitation = { channel: 'cognito'; created: boolean } | { channel: 'none' };

/**
 * Invites a person to sign in. In a deployed stack the user pool (USER_POOL_ID)
 * sends its invitation email; a person who already has an account is left as
 * is. Without a user pool (the local runtime) nobody is emailed: local users
 * get their tokens from `POST /local/token`.
 */
export const inviteUser = async (email: string): Promise<Invitation> => {
  const userPoolId = optionalEnv('USER_POOL_ID');
  if (!userPoolId) return { channel: 'none' };
  client ??= new CognitoIdentityProviderClient({});
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    return { channel: 'cognito', created: true };
  } catch (error) {
    if (error instanceof UsernameExistsException) return { channel: 'cognito', created: false };
    throw error;
  }
};
