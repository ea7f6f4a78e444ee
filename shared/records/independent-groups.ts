/**
 * Splits a batch into groups of records that cannot affect each other's de-duplication or linking: two records
 * land in the same group when they share an id, a lookup key, or a PMID one cites as a registration reference.
 * Groups can be ingested side by side; inside a group, records keep the batch's order. Pure.
 */
import { keyString } from '#shared/store/ports.ts';
import { lookupKeys } from './dedup.ts';
import type { BibRecord } from './record.ts';

function touchedKeys(record: BibRecord): string[] {
  return [
    `id#${record.id}`,
    ...lookupKeys(record).map(keyString),
    ...(record.registry?.pmids ?? []).map((pmid) => `pmid#${pmid}`),
  ];
}

/** Each group lists positions in the batch, ascending; groups are ordered by their first position. */
export function independentGroups(records: readonly BibRecord[]): number[][] {
  const parent = records.map((_, index) => index);
  const root = (index: number): number => {
    let current = index;
    while (parent[current] !== current) current = parent[current] as number;
    parent[index] = current;
    return current;
  };
  const owner = new Map<string, number>();
  records.forEach((record, index) => {
    for (const key of touchedKeys(record)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else parent[root(index)] = root(other);
    }
  });
  const groups = new Map<number, number[]>();
  records.forEach((_, index) => {
    const group = groups.get(root(index));
    if (group) group.push(index);
    else groups.set(root(index), [index]);
  });
  return [...groups.values()];
}
