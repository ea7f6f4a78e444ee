/**
 * The page of the evidence chain, read in a real browser as readers read it: the demo cycle's store, plus one
 * Metapsy candidate included at full text by two reviewers. The reconciliation rules are checked on what the page
 * shows (not on the model behind it); axe-core checks the page at desktop width, at 390 px and in print; at 390 px
 * nothing but the scroll regions may be wider than the screen, and the figures keep legible text.
 * Leaves test-output/evidence-page-390.png for people to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPage, reanalyseReview } from '#shared/cycle.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { type StaticServer, startStaticServer } from '#shared/publishing/static-server.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { axeViolations, launchChromium } from '#test/support/browser.ts';
import { demoCycle } from '#test/support/cycle.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore } from '#test/support/store.ts';

const CANDIDATE = 'data:johnson-2018';

/** The study named on each row of every forest plot (a truncated label carries the whole one as its title). */
function studiesPlotted(page: Page): Promise<string[]> {
  return page.$$eval('svg.forest-plot g.study', (groups) =>
    groups.map((group) => {
      const label = group.querySelector('text');
      return (label?.querySelector('title')?.textContent ?? label?.textContent ?? '').trim();
    }),
  );
}

describe('the evidence chain as the published page shows it', () => {
  let local: LocalStore;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    local = await memoryStore();
    const { site } = await demoCycle(local);
    const screening = { store: local.store, clock: systemClock, eligibility: review.eligibility };
    for (const stage of ['title-abstract', 'full-text'] as const) {
      for (const reviewer of ['Reviewer A', 'Reviewer B']) {
        const result = await screenRecord(
          { recordId: CANDIDATE, reviewer, stage, decision: 'include' },
          screening,
        );
        if (result.state.status !== 'title-abstract' && stage === 'title-abstract') break;
      }
    }
    const ports = {
      review,
      store: local.store,
      clock: systemClock,
      notifier: { send: async () => {} },
      site: localFolderWriter(site),
      siteLocation: site,
    };
    await reanalyseReview(ports, 'full-text inclusion');
    await publishPage(ports);
    server = await startStaticServer(site, 0);
    browser = await launchChromium();
    // The page forbids every script by its Content-Security-Policy; axe-core is injected by the test alone.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await local?.close();
  });

  it('lists every pooled study among the included ones, and the PRISMA total equals the included list', async () => {
    const included = await page.$$eval('#included-studies tbody th[scope=row]', (cells) =>
      cells.map((cell) => (cell.firstChild?.textContent ?? '').trim()),
    );
    expect(included).toContain('Johnson 2018');
    const caption = await page.textContent('#included-studies caption');
    expect(caption).toBe(`Included studies (${included.length})`);
    const prismaTotal = await page.$eval('#prisma-flow', (svg) => svg.textContent ?? '');
    expect(prismaTotal).toContain(`Total studies included in review (n\u00a0=\u00a0${included.length})`);
    // Every study drawn in any forest plot is on the included list.
    const plotted = await studiesPlotted(page);
    expect(plotted.length).toBeGreaterThan(0);
    for (const study of plotted) expect(included).toContain(study);
  });

  it('gives every included study either a pool or a reason, who included it, and where its data came from', async () => {
    const rows = await page.$$eval('#included-studies tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    const plotted = new Set(await studiesPlotted(page));
    for (const cells of rows) {
      const inclusion = cells.at(-2) ?? '';
      const data = cells.at(-1) ?? '';
      expect(inclusion).toMatch(/^included (by|at full text by) /);
      if (data.startsWith('Outcome data extracted'))
        expect(data).toMatch(/\((metapsy-data\.csv|[^)]+\.csv)\)/);
    }
    const notPooled = rows.filter((cells) => (cells.at(-1) ?? '').includes('Not pooled:'));
    expect(notPooled.length).toBeGreaterThan(0);
    expect(plotted.has('Johnson 2018')).toBe(true);
    expect(await page.textContent('#data-sources')).toContain('metapsy-data.csv');
  });

  it('lists the candidates from the data that nobody has assessed yet, and shows the 2021 trials line', async () => {
    const waiting = await page.textContent('#awaiting-classification');
    expect(waiting).toContain('outcome data exist for this study, not yet assessed');
    expect(waiting).not.toContain('Johnson 2018');
    expect(await page.$$eval('tr.published-trials', (rows) => rows.length)).toBeGreaterThan(0);
    // The 2021 review's empowerment result (I² = 55%) is one its own rule calls substantial.
    const empowerment = await page.textContent(
      'tr.published[data-outcome="Empowerment"][data-timepoint="Post-intervention"] [data-field="heterogeneity"]',
    );
    expect(empowerment).toContain('substantial heterogeneity (I² above 50%)');
  });

  it('has no axe-core violation at desktop width', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reads at 390 px: only scroll regions are wider than the screen, figures keep legible text, no axe violation', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const overflow = await page.evaluate('document.documentElement.scrollWidth');
    expect(overflow).toBeLessThanOrEqual(390);
    const smallest = await page.$$eval('#prisma-flow text, svg.forest-plot text', (texts) =>
      Math.min(...texts.map((t) => t.getBoundingClientRect().height).filter((h) => h > 0)),
    );
    expect(smallest).toBeGreaterThanOrEqual(9);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: join('test-output', 'evidence-page-390.png'), fullPage: false });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('prints with nothing clipped: no scroll region hides columns, and axe finds no violation', async () => {
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.emulateMedia({ media: 'print' });
    await page.reload();
    const clipped = await page.$$eval('.scroll', (regions) =>
      regions
        .filter((region) => region.scrollWidth > region.clientWidth + 1)
        .map((region) => region.id || region.getAttribute('aria-label')),
    );
    expect(clipped).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'screen' });
  });
});
