import { OrgEntity, type OrgItem } from './org.entity.ts';

/** Reads every org strictly below `org`, in path order (pages of the subtree index). */
export const readWholeSubtree = async (org: Pick<OrgItem, 'treeId' | 'pathKey'>): Promise<OrgItem[]> => {
  const items: OrgItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: OrgItem[]; cursor: string | null } = await OrgEntity.query
      .subtree({ treeId: org.treeId })
      .begins({ pathKey: `${org.pathKey}org_` })
      .go({ cursor, limit: 1000 });
    items.push(...page.data);
    cursor = page.cursor;
  } while (cursor);
  return items;
};
