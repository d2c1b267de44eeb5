import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { isProductionStage } from '../config.ts';
import { PortalTable } from '../constructs/portal-table.ts';
import { UserDirectory } from '../constructs/user-directory.ts';

export interface DataStackProps extends StackProps {
  stage: string;
}

/**
 * What holds tenants' state, apart from the API so that the API can be
 * replaced freely: the table, the user pool, the cursor signing key and the
 * impersonation token signing key.
 * Termination-protected, and every resource is retained if the stack is
 * ever deleted anyway.
 */
export class DataStack extends Stack {
  readonly table: Table;
  readonly users: UserDirectory;
  readonly cursorKey: Secret;
  readonly impersonationKey: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const production = isProductionStage(props.stage);

    this.table = new PortalTable(this, 'Portal', { production }).table;
    this.users = new UserDirectory(this, 'Users', { production });

    this.cursorKey = new Secret(this, 'CursorKey', {
      description: 'HMAC key that signs list cursors (tamper-proof paging)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Cursors are short-lived paging tokens; rotating the key only invalidates cursors in flight (a 400, the client restarts the list). Rotation with an overlap window can come later.',
    });

    this.impersonationKey = new Secret(this, 'ImpersonationKey', {
      description: 'HMAC key that signs impersonation ("Login As") session tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.impersonationKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Session tokens live at most 60 minutes and every call re-reads the session item, so a leaked key alone opens nothing; rotating it only signs out running sessions (their tokens fail, the technician starts again). Scheduled rotation with an overlap window can come later.',
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.webClient.userPoolClientId });
  }
}
