import type { WrittenBy } from '../db/written-by.ts';
import type { OrgKind } from './kinds.ts';
import { atPath } from './move-resolution.ts';
import type { OrgItem } from './org.entity.ts';
import { nameKeyOf } from './org-view.ts';

/** A fresh org item at `path`, version 1, with the keys its path and name imply. */
export const newOrgItem = (input: { orgId: string; kind: OrgKind; name: string; parentId: string; path: string; by: WrittenBy }): OrgItem =>
  atPath(
    {
      orgId: input.orgId,
      kind: input.kind,
      name: input.name,
      nameKey: nameKeyOf(input.name),
      status: 'active',
      parentId: input.parentId,
      path: input.path,
      pathKey: '',
      treeId: '',
      depth: 0,
      partnerAccess: true,
      childCount: 0,
      createdAt: input.by.at,
      updatedAt: input.by.at,
      version: 1,
      writtenBy: input.by,
    },
    input.path,
  );
