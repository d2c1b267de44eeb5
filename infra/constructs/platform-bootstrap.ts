import { CustomResource, Duration } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PortalFunction } from './portal-function.ts';

export interface PlatformBootstrapProps {
  table: ITable;
  userPool: IUserPool;
  adminEmail: string;
  logRetention: RetentionDays;
}

/**
 * Runs the same bootstrap as `npm start` once per stack: the root org and the
 * first platform administrator (invited by the user pool). A custom resource
 * served by our own function, so no extra provider framework is deployed.
 */
export class PlatformBootstrap extends Construct {
  readonly function: PortalFunction;

  constructor(scope: Construct, id: string, props: PlatformBootstrapProps) {
    super(scope, id);
    this.function = new PortalFunction(this, 'Function', {
      entry: 'functions/bootstrap/handler.ts',
      functionKey: 'bootstrap',
      description: 'Creates the root org and the first platform administrator once per stack',
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: { USER_POOL_ID: props.userPool.userPoolId },
    });
    this.function.bindTable(props.table, { accessMode: 'RW' });
    props.userPool.grant(this.function, 'cognito-idp:AdminCreateUser');
    new CustomResource(this, 'Run', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::PlatformBootstrap',
      // A changed email re-runs it: the new address becomes a platform admin too.
      properties: { AdminEmail: props.adminEmail },
    });
  }
}
