import type { RouteDef, RouteGroup } from '../route-table-types.ts';
import {
  application,
  appParams,
  approval,
  listApplicationsQuery,
  rejectApplicationBody,
  submitApplicationBody,
  submittedApplication,
} from '../schemas/applications.ts';
import { page } from '../schemas/common.ts';
import { orgParams } from '../schemas/orgs.ts';
import { ok } from './responses.ts';

/**
 * The public form has a function of its own: it takes anyone's request, so
 * it gets the table and nothing else, while the channel admins' function may
 * also invite people through the user pool.
 */
export const applicationIntakeGroup = {
  name: 'application-intake',
  entry: 'functions/http/groups/application-intake.ts',
  access: 'RW',
  description: 'The public partner-programme application form',
} as const satisfies RouteGroup;

export const applicationsGroup = {
  name: 'applications',
  entry: 'functions/http/groups/applications.ts',
  access: 'RW',
  description: 'Partner-programme applications: a channel lists, approves and rejects them',
  invitesUsers: true,
} as const satisfies RouteGroup;

export const applicationsRoutes = [
  {
    id: 'submitApplication',
    method: 'POST',
    path: '/v1/applications',
    group: applicationIntakeGroup,
    auth: 'public',
    permission: null,
    summary:
      'Apply to a channel’s partner programme (no login; throttled; only channels that accept applications, any other id is the same 400 on `body.channelId`)',
    tags: ['Partner programme'],
    request: { body: submitApplicationBody },
    throttle: { rateLimit: 2, burstLimit: 10 },
    responses: { 201: ok(submittedApplication, 'Submitted') },
  },
  {
    id: 'listApplications',
    method: 'GET',
    path: '/v1/orgs/{orgId}/applications',
    group: applicationsGroup,
    auth: 'caller',
    permission: 'application:read',
    summary: 'Applications to a channel’s programme, newest first (`{orgId}` is the channel; other orgs receive none)',
    tags: ['Partner programme'],
    request: { params: orgParams, query: listApplicationsQuery },
    responses: { 200: ok(page(application)) },
  },
  {
    id: 'approveApplication',
    method: 'POST',
    path: '/v1/applications/{appId}/approve',
    group: applicationsGroup,
    auth: 'caller',
    permission: 'application:write',
    summary:
      'Approve: creates the partner org under the channel with the application’s details and makes the contact its built-in partner-admin (invited by email); once only — a repeat answers the approved application, a rejected one is 409',
    tags: ['Partner programme'],
    request: { params: appParams },
    responses: { 200: ok(approval) },
  },
  {
    id: 'rejectApplication',
    method: 'POST',
    path: '/v1/applications/{appId}/reject',
    group: applicationsGroup,
    auth: 'caller',
    permission: 'application:write',
    summary: 'Reject with a reason; a rejected application can never be approved (a repeat answers it as it is; an approved one is 409)',
    tags: ['Partner programme'],
    request: { params: appParams, body: rejectApplicationBody },
    responses: { 200: ok(application) },
  },
] as const satisfies readonly RouteDef[];
