import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, StandardThreatProtectionMode, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  production: boolean;
}

/**
 * The Cognito user pool that signs web users' JWTs, and the web app client.
 * Users are invited by the portal (members are added by email), never
 * self-registered; they sign in with their email, which the authorizer maps
 * to a user id, so the email must be verified.
 *
 * Production runs the Plus feature plan with threat protection enforced
 * (compromised credentials, adaptive authentication); other stages stay on
 * Essentials because Plus is billed per monthly active user.
 */
export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

  constructor(scope: Construct, id: string, { production }: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: production ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(production ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: production,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.webClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional by design: users may enrol TOTP; requiring it (Mfa.REQUIRED) is a per-deployment decision once every user has an authenticator.',
    });
    if (!production) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Non-production stage: the Plus plan (threat protection) is billed per monthly active user and is enabled on the prod stage only.',
      });
    }
  }
}
