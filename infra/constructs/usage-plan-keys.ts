import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { UsagePlan } from 'aws-cdk-lib/aws-apigateway';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface UsagePlanKeysProps {
  /** The usage plan partner keys join as they are created. */
  usagePlan: UsagePlan;
  /** The function that creates and revokes partner keys (the `api-keys` route group). */
  keysFunction: LambdaFunction;
}

/**
 * Lets the API keys function give each partner key its usage-plan key
 * (CreateApiKey, CreateUsagePlanKey) and delete it on revocation, and
 * nothing else in API Gateway.
 *
 * The plan's id reaches the function through an SSM parameter whose name is
 * fixed at synth (derived from the stack's name, so unique per stage and
 * region) rather than through an environment variable: the plan depends on
 * the API's stage, the stage on its methods and the methods on this very
 * function, so a reference from the function to the plan would be a
 * dependency cycle. For the same reason the grant that names the plan is a
 * policy of its own, which the function does not wait for (the default
 * policy it does wait for names no plan).
 */
export class UsagePlanKeys extends Construct {
  readonly parameter: StringParameter;

  constructor(scope: Construct, id: string, props: UsagePlanKeysProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const parameterName = `/${stack.stackName}/usage-plan-id`;
    this.parameter = new StringParameter(this, 'UsagePlanId', {
      parameterName,
      stringValue: props.usagePlan.usagePlanId,
      description: 'Id of the usage plan that throttles partner API keys; read by the api-keys function',
    });
    props.keysFunction.addEnvironment('USAGE_PLAN_ID_PARAMETER', parameterName);
    // Named from the literal name, not from the parameter resource, so the function does not depend on it either.
    const parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: parameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    props.keysFunction.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));

    const apiGateway = (path: string) => Arn.format({ service: 'apigateway', account: '', resource: path }, stack);
    const grant = new Policy(this, 'Grant', {
      statements: [
        new PolicyStatement({
          actions: ['apigateway:POST'],
          resources: [apiGateway('/apikeys'), apiGateway(`/usageplans/${props.usagePlan.usagePlanId}/keys`)],
        }),
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [apiGateway('/apikeys/*')] }),
      ],
    });
    if (!props.keysFunction.role) throw new Error('The api-keys function has no role');
    grant.attachToRole(props.keysFunction.role);
    Validations.of(grant).acknowledge({
      // Partition and region are literal in the stacks' ARNs (each stack has its region).
      id: `AwsSolutions-IAM5[Resource::${apiGateway('/apikeys/*')}]`,
      reason:
        'API Gateway names each key it creates with a generated id, known only once the key exists; the function may only DELETE keys, and creates them only through POST /apikeys.',
    });
  }
}
