import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import { type CyclePorts, publishPage, reanalyseReview } from '#shared/cycle.ts';
import { documentExtractionStore } from '#shared/extraction/document-store.ts';
import { importExtraction } from '#shared/extraction/import.ts';
import { escapeHtml } from '#shared/publishing/escape.ts';
import { formatEstimate, formatInterval, formatP } from '#shared/publishing/format.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { recordStudyEvent } from '#shared/studies/events.ts';
import { metapsyText } from '#test/support/extraction-fixtures.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore, steppingClock } from '#test/support/store.ts';
import reference from '../../fixtures/plan-reference/metapsy-recovery.json' with { type: 'json' };

let local: LocalStore;
let site: string;
let ports: CyclePorts & Parameters<typeof publishPage>[0];

beforeAll(async () => {
  local = await memoryStore();
  site = mkdtempSync(join(tmpdir(), 'living-review-site-'));
  const clock = steppingClock('2026-11-21T06:00:00.000Z');
  ports = {
    review,
    store: local.store,
    clock,
    notifier: { send: async () => {} },
    site: localFolderWriter(site),
    siteLocation: site,
  };
  await importExtraction(metapsyText(), 'metapsy', {
    store: documentExtractionStore(local.store, clock),
    config: review.extraction,
    document: 'data.csv',
  });
  // The 2021 review judged Kaplan 2011's data unusable; the team overrides that with a recorded decision, so the
  // page pools the four group trials the independent R computation pools.
  await recordStudyEvent(local.store, {
    action: 'judge-data',
    studyId: 'kaplan-2011',
    usable: true,
    by: 'lead reviewer',
    at: '2026-11-21T05:00:00.000Z',
    reason: 'Metapsy holds arm-level recovery data for this trial (RAS), usable for the SMD',
  });
  await reanalyseReview(ports, 'test');
  await publishPage(ports);
});
afterAll(async () => {
  await local.close();
});

const read = (file: string) => readFileSync(join(site, file), 'utf8');

function summaryRow(html: string, outcome: string, timepoint: string): string {
  const start = html.indexOf(`<tr class="current" data-outcome="${outcome}" data-timepoint="${timepoint}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

describe('publishing the living page from the store', () => {
  it('offers analysis.json equal to the stored analysis version', async () => {
    const latest = await local.store.latestAnalysisVersion();
    if (!latest) throw new Error('no analysis version stored');
    const downloaded = JSON.parse(read('analysis.json'));
    expect(downloaded.version).toBe(latest.version);
    expect(downloaded.hash).toBe(latest.hash);
    expect(downloaded.analyses).toEqual((latest.body as AnalysisBody).analyses);
  });

  it('shows the pooled recovery result that an independent R computation gives', () => {
    const row = summaryRow(read('index.html'), 'Recovery', 'Post-intervention');
    expect(row).toContain(`<span data-field="point">${formatEstimate(reference.main.estimate)}</span>`);
    expect(row).toContain(
      `<span data-field="ci">${formatInterval(reference.main.ci as [number, number])}</span>`,
    );
    expect(row).toContain(escapeHtml(formatP(reference.main.p)));
  });

  it('shows every pooled main analysis of analysis.json in the summary table with its numbers, and a forest plot for it', () => {
    const html = read('index.html');
    const { analyses } = JSON.parse(read('analysis.json')) as AnalysisBody;
    const pooled = analyses.filter((a) => a.analysis === 'main' && a.pooled);
    expect(pooled.length).toBeGreaterThan(0);
    for (const analysis of pooled) {
      const outcome = analysis.outcome.charAt(0).toUpperCase() + analysis.outcome.slice(1);
      const row = summaryRow(html, outcome, 'Post-intervention');
      expect(row).toContain(`<span data-field="point">${formatEstimate(analysis.estimate as number)}</span>`);
      expect(row).toContain(
        `<span data-field="ci">${formatInterval(analysis.ci as [number, number])}</span>`,
      );
    }
    expect(html.match(/<svg [^>]*class="forest-plot"/g)).toHaveLength(pooled.length);
  });

  it('lists the 2021 review’s eight trials, with those lacking real data awaiting extraction', () => {
    const html = read('index.html');
    for (const label of ['Eisen 2012', 'Corrigan 2015']) expect(html).toContain(label);
    expect(html).toContain('Included, awaiting data');
  });

  it('writes nothing again when nothing changed', async () => {
    const before = statSync(join(site, 'analysis.json')).mtimeMs;
    const again = await publishPage(ports);
    expect(again.written.filter((file) => file !== 'index.html')).toEqual([]);
    expect(statSync(join(site, 'analysis.json')).mtimeMs).toBe(before);
  });
});
