import { beforeAll, describe, expect, it } from 'vitest';
import { countCalls } from '#domain/db/call-counter';
import { moveDryRun } from '#domain/orgs/move-dry-run';
import { getOrg } from '#domain/orgs/orgs';
import { ForbiddenError, NotFoundError } from '#domain/shared/errors';
import { as, createOrg, member, smallHierarchy } from './support/fixture.ts';

/** `POST …/move?dryRun=true`: who would lose the org, and what would refuse the move, with nothing written. */
let world: Awaited<ReturnType<typeof smallHierarchy>>;
beforeAll(async () => {
  world = await smallHierarchy();
});

const moving = (caller = world.admin) => as(caller, 'org:move');

describe('a move’s dry run', () => {
  it('names the people of the ancestors it leaves, keeps those it stays under, and writes nothing', async () => {
    // Prepare
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const technician = await member(world.admin, world.partnerA.id, 'partner-technician');
    const channelReader = await member(world.admin, world.channel.id, 'read-only');
    const own = await member(world.admin, customer.id, 'customer-admin', true);
    const before = await getOrg(as(world.admin, 'org:read'), customer.id);

    // Act
    const { result: report, calls } = await countCalls(() => moveDryRun(moving(), customer.id, world.partnerB.id, null));

    // Assess
    expect(report).toMatchObject({ dryRun: true, wouldSucceed: true, violations: [], accountsAffected: [], sessionsEnding: [] });
    const losing = report.usersLosingAccess.map((loss) => loss.userId);
    expect(losing).toContain(technician.principalId);
    for (const staying of [channelReader.principalId, own.principalId, world.admin.principalId]) expect(losing).not.toContain(staying);
    expect(report.usersLosingAccess.every((loss) => loss.orgId === customer.id && loss.via === 'membership')).toBe(true);
    expect(await getOrg(as(world.admin, 'org:read'), customer.id)).toEqual(before);
    expect(calls.byCommand.TransactWriteItemsCommand ?? 0).toBe(0);
    expect(calls.byCommand.PutItemCommand ?? 0).toBe(0);
  });

  it('names the rule the move would break: a kind that cannot hold it, a sibling with its name', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const underCustomer = await moveDryRun(moving(), customer.id, world.customerB.id, null);
    expect(underCustomer).toMatchObject({ wouldSucceed: false, violations: [{ rule: 'kind' }] });

    const name = `Twin ${customer.id}`;
    await createOrg(world.admin, world.partnerB.id, 'customer', name);
    const twin = await createOrg(world.admin, world.partnerA.id, 'customer', name);
    expect(await moveDryRun(moving(), twin.id, world.partnerB.id, null)).toMatchObject({
      wouldSucceed: false,
      violations: [{ rule: 'unique-name' }],
    });
  });

  it('answers 404 for an org out of the caller’s reach, as the move does', async () => {
    const outsider = await member(world.admin, world.partnerB.id, 'partner-admin');
    await expect(moveDryRun(moving(outsider), world.customerA.id, world.partnerB.id, null)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers 403 to a caller who sees both orgs but may not move them, and tells it nothing of the move', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const reader = await member(world.admin, world.channel.id, 'read-only');
    const { result, calls } = await countCalls(() =>
      moveDryRun(moving(reader), customer.id, world.partnerB.id, null).then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    expect(result).toBeInstanceOf(ForbiddenError);
    // Refused on what it read first (the two orgs and the grants), before any rule or loss is looked up.
    expect(calls.byCommand).toEqual({ GetItemCommand: 2, QueryCommand: 1 });
  });

  it('answers 404 for a new parent out of the caller’s reach, though the org itself is in it', async () => {
    const customer = await createOrg(world.admin, world.partnerA.id, 'customer');
    const partnerAdmin = await member(world.admin, world.partnerA.id, 'partner-admin');
    await expect(moveDryRun(moving(partnerAdmin), customer.id, world.partnerB.id, null)).rejects.toBeInstanceOf(NotFoundError);
  });
});
