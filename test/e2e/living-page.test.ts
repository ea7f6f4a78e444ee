/**
 * The page the whole chain publishes, in a real browser: a demo cycle on the store (baseline, Metapsy data, polls),
 * plus a record whose title is markup, screened out at full text by a reviewer, so it reaches the page through the
 * same import and screening path any title would. Leaves test-output/living-page.png for people to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import { formatEstimate, formatInterval } from '#shared/publishing/format.ts';
import { type StaticServer, startStaticServer } from '#shared/publishing/static-server.ts';
import { ingest } from '#shared/records/ingest.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { launchChromium } from '#test/support/browser.ts';
import { demoCycle } from '#test/support/cycle.ts';
import { groupPeerSupportEligibility } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore } from '#test/support/store.ts';

const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';

describe('the living page published by a cycle, in Chromium', () => {
  let local: LocalStore;
  let site: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    local = await memoryStore();
    const ports = { store: local.store, clock: systemClock, eligibility: groupPeerSupportEligibility };
    await ingest(
      [bibRecord({ id: 'pubmed:90000099', pmid: '90000099', title: HOSTILE_TITLE, year: 2026 })],
      ports,
      {
        dualFraction: 0,
      },
    );
    for (const stage of ['title-abstract', 'full-text'] as const) {
      await screenRecord(
        {
          recordId: 'pubmed:90000099',
          reviewer: 'Reviewer A',
          stage,
          decision: stage === 'full-text' ? 'exclude' : 'include',
          ...(stage === 'full-text' ? { reason: 'not-group' } : {}),
        },
        ports,
      );
    }
    ({ site } = await demoCycle(local));
    server = await startStaticServer(site, 0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(server.url, { waitUntil: 'load' });
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/living-page.png', fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await local?.close();
  });

  it('shows each pooled main analysis of analysis.json with the same numbers', async () => {
    const { analyses } = JSON.parse(readFileSync(join(site, 'analysis.json'), 'utf8')) as AnalysisBody;
    const pooled = analyses.filter((a) => a.analysis === 'main' && a.pooled);
    expect(pooled.length).toBeGreaterThan(0);
    for (const analysis of pooled) {
      const outcome = analysis.outcome.charAt(0).toUpperCase() + analysis.outcome.slice(1);
      const row = page.locator(`tr.current[data-outcome="${outcome}"][data-timepoint="Post-intervention"]`);
      expect(await row.locator('[data-field="point"]').innerText()).toBe(
        formatEstimate(analysis.estimate as number),
      );
      expect(await row.locator('[data-field="ci"]').innerText()).toBe(
        formatInterval(analysis.ci as [number, number]),
      );
    }
    expect(await page.locator('svg.forest-plot').count()).toBe(pooled.length);
  });

  it('shows a title made of markup as text and runs nothing', async () => {
    expect(await page.getByText(HOSTILE_TITLE, { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requested.filter((path) => path.endsWith('/x'))).toEqual([]);
  });
});
