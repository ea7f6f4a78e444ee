/**
 * The human loop in the workbench, in headless Chromium on the embedded store: two reviewers screen a record of
 * the dual sample with the keyboard, blind to each other; their conflict is settled by a lead; the record is
 * included at full text (checked by a second reviewer, as the review's rule says); its study's data are entered in
 * the extraction form (a bad SD is refused and stores nothing); the republished page shows the new trial in the
 * forest plot under a new analysis version that says what changed. A form without the CSRF token is refused, and
 * axe-core finds no violation on the workbench's pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishPage } from '#shared/cycle.ts';
import { isArmRow } from '#shared/extraction/model.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import type { LocalStore } from '#shared/store/local.ts';
import { systemClock } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { createWorkbench } from '#shared/web/app.ts';
import { localAuthenticator } from '#shared/web/local-auth.ts';
import { listenLocally, type RunningWorkbench } from '#shared/web/node-server.ts';
import { axeViolations, launchChromium } from '#test/support/browser.ts';
import { demoCycle } from '#test/support/cycle.ts';
import { groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { memoryStore } from '#test/support/store.ts';

/** In the demo's dual-screening sample; its publication (pubmed:90000002) is a report of the same trial. */
const RECORD = 'ctgov:NCT99000001';
const recordPath = `/records/${encodeURIComponent(RECORD)}`;

let local: LocalStore;
let site: string;
let workbench: RunningWorkbench;
let browser: Browser;
const violations: Record<string, string[]> = {};

async function signIn(name: string, role: 'reviewer' | 'lead'): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${workbench.url}/`);
  expect(new URL(page.url()).pathname).toBe('/signin');
  await page.fill('#name', name);
  await page.check(`#role-${role}`);
  await page.click('button[type=submit]');
  await page.waitForURL(`${workbench.url}/`);
  return page;
}

async function checkAxe(page: Page, name: string) {
  violations[name] = await axeViolations(page);
}

/** Opens the record and decides with one key; waits for the workbench to move on. */
async function decide(page: Page, key: 'i' | 'e' | 'm') {
  await page.goto(`${workbench.url}${recordPath}`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
}

const text = (page: Page) => page.locator('main').innerText();

beforeAll(async () => {
  local = await memoryStore();
  ({ site } = await demoCycle(local));
  const notifier = { send: async () => {} };
  const app = createWorkbench({
    review,
    store: local.store,
    clock: systemClock,
    notifier,
    auth: localAuthenticator(),
    cookies: { secure: false },
    publish: () =>
      publishPage({
        review,
        store: local.store,
        clock: systemClock,
        notifier,
        site: localFolderWriter(site),
        siteLocation: site,
      }),
  });
  workbench = await listenLocally(app, 0);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workbench?.close();
  await local?.close();
});

describe('the workbench, from screening to the published page', () => {
  it('runs the whole human loop', async () => {
    const ana = await signIn('Ana', 'reviewer');
    await checkAxe(ana, 'status');
    const ben = await signIn('Ben', 'reviewer');
    const lea = await signIn('Lea', 'lead');

    // Title and abstract: blind dual screening, a conflict, settled by the lead.
    await ana.goto(`${workbench.url}/queue`);
    await checkAxe(ana, 'queue');
    expect(await text(ana)).toContain('Peer-Led Recovery Groups in Community Mental Health');
    await ana.goto(`${workbench.url}${recordPath}`);
    await checkAxe(ana, 'record');
    await decide(ana, 'i');
    await ben.goto(`${workbench.url}${recordPath}`);
    expect(await text(ben)).toContain(
      '1 other reviewer has decided; their decision stays hidden until you decide',
    );
    expect(await text(ben)).not.toContain('Ana: include');
    await decide(ben, 'e');
    await ben.goto(`${workbench.url}${recordPath}`);
    expect(await text(ben)).toContain('a lead settles it');
    await lea.goto(`${workbench.url}${recordPath}`);
    expect(await text(lea)).toMatch(/Ana: include[\s\S]*Ben: exclude/);
    expect(await text(lea)).toContain('Settle the conflict');
    await decide(lea, 'i');

    // Full text: included by Ana, checked by Ben (every inclusion has a second, blind reviewer).
    await decide(ana, 'i');
    await ben.goto(`${workbench.url}${recordPath}`);
    expect(await text(ben)).toMatch(/Full text[\s\S]*1 other reviewer has decided/);
    await decide(ben, 'i');

    // The study is included; its data go in through the extraction form.
    await ana.goto(`${workbench.url}${recordPath}`);
    await ana.click('dt:has-text("Study") + dd a');
    const studyUrl = ana.url();
    const label = (await ana.locator('h1').innerText()).trim();
    expect(await text(ana)).toContain('Status: included');
    await ana.click('text=Enter or correct its outcome data');
    await checkAxe(ana, 'extraction');
    await ana.selectOption('#study-format', 'group');
    for (const [column, rating] of [
      ['rob2_randomisation', 'low'],
      ['rob2_deviations', 'some concerns'],
      ['rob2_missing_data', 'low'],
      ['rob2_measurement', 'low'],
      ['rob2_selection', 'low'],
    ]) {
      await ana.selectOption(`#study-${column}`, rating as string);
    }
    await ana.fill('#study-rob2_randomisation_support', 'Computer-generated sequence, central allocation');
    const row = async (i: number, values: Record<string, string>) => {
      for (const [field, value] of Object.entries(values)) {
        const selector = `#row-${i}-${field}`;
        if ((await ana.locator(selector).evaluate((node) => node.tagName)) === 'SELECT')
          await ana.selectOption(selector, value);
        else await ana.fill(selector, value);
      }
    };
    const common = { outcome: 'recovery', timepoint: 'post', weeks: '12', instrument: 'QPR' };
    await row(0, { ...common, arm: 'Peer group', role: 'intervention', mean: '60.5', sd: '-16', n: '60' });
    await row(1, {
      ...common,
      arm: 'Usual care',
      role: 'control',
      control_type: 'tau',
      mean: '54',
      sd: '16.5',
      n: '61',
    });
    await Promise.all([ana.waitForNavigation(), ana.click('text=Save and re-run the analysis')]);
    expect(await ana.locator('.error-summary').innerText()).toMatch(/Row 1, sd: /);
    expect(await ana.locator('#row-0-sd-error').count()).toBe(1);
    await checkAxe(ana, 'extraction with errors');
    const evidence = await loadEvidence(review, local.store, systemClock);
    const unit = evidence.units.find((candidate) => candidate.label === label);
    expect(evidence.rows.filter(isArmRow).filter((r) => unit?.dataStudyIds.includes(r.studyId))).toEqual([]);

    await ana.fill('#row-0-sd', '16');
    await Promise.all([ana.waitForNavigation(), ana.click('text=Save and re-run the analysis')]);
    const saved = await text(ana);
    expect(saved).toContain(`Saved: ${label}`);
    expect(saved).toMatch(/Analysis version \d+ was made and the page republished/);
    expect(saved).toContain(`added: ${label}`);
    // RoB 2 as entered: the overall left empty is the algorithm's suggestion, the support kept with it.
    const after = await loadEvidence(review, local.store, systemClock);
    const entered = after.studies.find((study) =>
      after.units.find((u) => u.label === label)?.dataStudyIds.includes(study.id),
    );
    expect(entered?.riskOfBias.rob2).toMatchObject({
      overall: 'some concerns',
      domains: { deviationsFromIntendedInterventions: 'some concerns' },
    });
    expect(entered?.riskOfBias.rob2Notes?.support.randomisationProcess).toBe(
      'Computer-generated sequence, central allocation',
    );

    // The page the readers see.
    const html = readFileSync(join(site, 'index.html'), 'utf8');
    const forest = html.slice(html.indexOf('id="forest-recovery-post-main"'));
    expect(forest.slice(0, forest.indexOf('</svg>'))).toContain(label);
    expect(html).toContain(`added: ${label}`);

    await ana.goto(studyUrl);
    expect(await text(ana)).toMatch(/RoB 2 \(overall: some concerns\)[\s\S]*Computer-generated sequence/);
    await checkAxe(ana, 'study');
    await ana.goto(`${workbench.url}/imports`);
    await checkAxe(ana, 'imports');
  }, 180_000);

  it('refuses a form without its CSRF token and stores nothing', async () => {
    const page = await signIn('Cai', 'reviewer');
    const before = (await local.store.decisionsFor('data:castelein-2008')).length;
    const response = await page
      .context()
      .request.post(`${workbench.url}/records/data%3Acastelein-2008/decisions`, {
        form: { decision: 'include', stage: 'title-abstract' },
      });
    expect(response.status()).toBe(403);
    expect((await local.store.decisionsFor('data:castelein-2008')).length).toBe(before);
  });

  it('has no axe-core violation on its pages', () => {
    expect(Object.keys(violations).sort()).toEqual(
      ['extraction', 'extraction with errors', 'imports', 'queue', 'record', 'status', 'study'].sort(),
    );
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, []])));
  });
});
