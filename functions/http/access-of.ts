import type { AccessRequest } from '#domain/access/authorize';
import type { Caller } from '#domain/access/caller';
import type { Permission } from '#domain/access/permissions';

/** The route table's permission and the caller, as the domain's use cases take them. */
export const accessOf = (request: { caller: Caller; route: { permission: Permission } }): AccessRequest => ({
  caller: request.caller,
  permission: request.route.permission,
});
