import { submitApplication } from '#domain/applications/applications';
import { anonymousActor } from '#domain/db/written-by';
import { defineGroup } from '../group.ts';
import { created } from '../reply.ts';
import { groups } from '../routes.ts';

export const handler = defineGroup(groups.applicationIntake, {
  // Nobody is signed in here: the application records the request id and source IP as its actor.
  submitApplication: async (request) => created(await submitApplication(request.body, anonymousActor(request))),
});
