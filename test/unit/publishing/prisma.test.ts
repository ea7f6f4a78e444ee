import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { identifiedTotal, prismaRows, renderPrismaDiagram, sumCycles } from '#shared/publishing/prisma.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

const counts = pageModelFixture().prisma;
const plain = (text: string) => text.replaceAll('\u00a0', ' ');

describe('PRISMA 2020 counts', () => {
  it('adds the update cycles to the baseline for the cumulative row', () => {
    const rows = prismaRows(counts);
    const cumulative = rows.at(-1);
    expect(rows).toHaveLength(counts.updates.length + 2);
    expect(cumulative?.label).toBe('Cumulative');
    expect(cumulative?.screened).toBe(4277 + 428 + 99);
    expect(cumulative?.studiesIncluded).toBe(8 + 0 + 1);
    expect(cumulative && identifiedTotal(cumulative)).toBe(7198 + 225 + 412 + 37 + 96 + 8);
  });

  it("counts the published review's assessed full texts among the reports sought, beside the updates' own", () => {
    const withSought = {
      ...counts,
      updates: counts.updates.map((cycle) => ({ ...cycle, reportsSought: cycle.fullTextsAssessed + 2 })),
    };
    const cumulative = prismaRows(withSought).at(-1);
    const updatesAssessed = counts.updates.reduce((sum, cycle) => sum + cycle.fullTextsAssessed, 0);
    expect(cumulative?.reportsSought).toBe(98 + updatesAssessed + 2 * counts.updates.length);
  });

  it('fits each side label along the rows it names', () => {
    const svg = renderPrismaDiagram(counts);
    for (const match of svg.matchAll(
      /<g class="side-label"><rect [^>]*height="([\d.]+)"[^>]*\/>.*?>([A-Za-z]+)<\/text>/g,
    )) {
      const [, height, label = ''] = match;
      expect(Number(height), label).toBeGreaterThanOrEqual(label.length * 6.2);
    }
    expect([...svg.matchAll(/class="side-label"/g)]).toHaveLength(3);
  });

  it('merges identified records by source and exclusion reasons by reason', () => {
    const updates = sumCycles(counts.updates, 'Updates');
    expect(updates.identified).toEqual([
      { source: 'PubMed', n: 508 },
      { source: 'ClinicalTrials.gov', n: 45 },
    ]);
    expect(updates.fullTextExclusionReasons.find((item) => item.reason === 'Not randomised')?.n).toBe(4);
  });

  it("draws the 2021 review's counts and the updates' counts in the flow diagram", () => {
    const svg = plain(renderPrismaDiagram(counts));
    expect(XMLValidator.validate(svg)).toBe(true);
    for (const text of [
      'Records identified (n = 7423)',
      'Records screened (n = 4277)',
      'Full texts assessed (n = 98)',
      'Full texts excluded (n = 87)',
      'Studies included (n = 8)',
      'Included reports (n = 11)',
      'PubMed (n = 508)',
      'Duplicate records (n = 26)',
      'Records screened (n = 527)',
      'Records excluded (n = 515)',
      'Reports assessed for eligibility (n = 12)',
      'Reports excluded (n = 11):',
      'New studies included (n = 1)',
      'Total studies included in review (n = 9)',
    ]) {
      expect(svg).toContain(text);
    }
  });

  it('says how many exclusions have no itemised reason', () => {
    const svg = plain(
      renderPrismaDiagram({
        ...counts,
        updates: [
          {
            ...counts.baseline,
            label: 'Update',
            fullTextExclusionReasons: [{ reason: 'Not randomised', n: 80 }],
          },
        ],
      }),
    );
    expect(svg).toContain('Not randomised (n = 80)');
    expect(svg).toContain('Reason not itemised (n = 7)');
  });
});
