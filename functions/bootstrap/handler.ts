import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { bootstrapPlatform } from '#domain/bootstrap/bootstrap';
import { systemActor } from '#domain/db/written-by';
import { inviteUser } from '#domain/directory/directory';
import { logger } from '../shared/logger.ts';

const physicalId = 'partner-portal-platform-bootstrap';

const respond = async (
  event: CloudFormationCustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  data: Record<string, string>,
  reason?: string,
) => {
  const body = JSON.stringify({
    Status: status,
    Reason: reason ?? 'See the function log',
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // CloudFormation waits on this pre-signed URL; an empty content-type is what its signature expects.
  const response = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error(`CloudFormation answered ${response.status}`);
};

/**
 * Custom resource that runs the platform bootstrap once per stack (and again,
 * harmlessly, on update): the root org and its first platform administrator,
 * invited through the user pool. Deleting the stack never deletes the data.
 */
export const handler = async (event: CloudFormationCustomResourceEvent, context: Context): Promise<void> => {
  logger.addContext(context);
  try {
    if (event.RequestType === 'Delete') return await respond(event, 'SUCCESS', {});
    const adminEmail = String(event.ResourceProperties.AdminEmail ?? '');
    const result = await bootstrapPlatform({ adminEmail }, systemActor(`cfn:${event.RequestId}`));
    const invitation = await inviteUser(adminEmail);
    logger.info('platform bootstrapped', { ...result, invitation });
    await respond(event, 'SUCCESS', { RootOrgId: result.rootOrgId, AdminUserId: result.adminUserId });
  } catch (error) {
    logger.error('bootstrap failed', { error: error as Error });
    await respond(event, 'FAILED', {}, (error as Error).message);
  }
};
