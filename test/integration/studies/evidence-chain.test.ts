import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier, TeamAlert } from '#shared/alerts/notifier.ts';
import type { AnalysisBody } from '#shared/analysis/reanalyse.ts';
import type { AnalysisEntry } from '#shared/analysis/run-plan.ts';
import { type CyclePorts, publishPage, reanalyseReview } from '#shared/cycle.ts';
import { localFolderWriter } from '#shared/publishing/site-writer.ts';
import { ingest } from '#shared/records/ingest.ts';
import { screenRecord } from '#shared/screening/screen.ts';
import { seedReview } from '#shared/seed.ts';
import type { LocalStore } from '#shared/store/local.ts';
import type { AnalysisVersion, Stage } from '#shared/store/ports.ts';
import { loadEvidence } from '#shared/studies/load.ts';
import { groupPeerSupportSeed, groupPeerSupportReview as review } from '#test/support/group-peer-support.ts';
import { bibRecord, memoryStore, steppingClock } from '#test/support/store.ts';

/**
 * The evidence chain told as one story on the embedded store: the Metapsy data arrive and only the published
 * review's trials are pooled; a candidate from those data is included at full text by two reviewers and its data
 * join the pool; an included report is retracted and its study leaves the pool. Every step is read back from the
 * analysis versions, the alerts and the published page.
 */
let local: LocalStore;
let ports: CyclePorts & { site: ReturnType<typeof localFolderWriter>; siteLocation: string };
const alerts: TeamAlert[] = [];
const site = mkdtempSync(join(tmpdir(), 'living-review-chain-'));

const mainAnalysis = (body: AnalysisBody, outcome: string) =>
  body.analyses.find(
    (entry) => entry.outcome === outcome && entry.timepoint === 'post' && entry.analysis === 'main',
  ) as AnalysisEntry;

async function latest(): Promise<AnalysisVersion<AnalysisBody>> {
  return (await local.store.latestAnalysisVersion()) as AnalysisVersion<AnalysisBody>;
}

const pooledEverywhere = (body: AnalysisBody) =>
  new Set(
    body.analyses.filter((entry) => entry.pooled).flatMap((entry) => entry.studies.map((s) => s.study)),
  );

async function includedStudies() {
  const evidence = await loadEvidence(review, local.store, ports.clock);
  return evidence.units.filter((unit) => unit.status === 'included').map((unit) => unit.label);
}

async function decide(recordId: string, reviewer: string, stage: Stage) {
  return screenRecord(
    { recordId, reviewer, decision: 'include', stage },
    { store: local.store, clock: ports.clock, eligibility: review.eligibility },
  );
}

function pageText(): string {
  return readFileSync(join(site, 'index.html'), 'utf8');
}

function tableText(html: string, id: string): string {
  const table = html.match(new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`))?.[1] ?? '';
  return table.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  local = await memoryStore();
  const notifier: Notifier = { send: async (alert) => void alerts.push(alert) };
  ports = {
    review,
    store: local.store,
    clock: steppingClock('2026-03-02T09:00:00.000Z'),
    notifier,
    site: localFolderWriter(site),
    siteLocation: site,
  };
});

afterAll(async () => {
  await local.close();
});

describe('one evidence chain, from data to page', () => {
  it('keeps the Metapsy trials nobody assessed out of every pool and queues them as candidates', async () => {
    const seeded = await seedReview(review, ports, groupPeerSupportSeed());
    expect(seeded.candidatesQueued).toContain('data:castelein-2008');
    expect(seeded.candidatesQueued).toContain('data:boevink-2016');
    // The team is told of each candidate once, like any new record: a second seeding tells nothing more.
    const told = alerts.filter((alert) => alert.markdown.includes('data:castelein-2008'));
    expect(told).toHaveLength(1);
    expect(told[0]?.markdown).toContain('The effectiveness of peer support groups in psychosis');
    const before = alerts.length;
    await seedReview(review, ports, groupPeerSupportSeed());
    expect(alerts).toHaveLength(before);
    await publishPage(ports);
    const body = (await latest()).body;
    const included = await includedStudies();
    expect(included).toHaveLength(review.baseline.trials.length);
    for (const study of pooledEverywhere(body)) expect(included).toContain(study);
    for (const candidate of [
      'Boevink 2016',
      'Castelein 2008',
      'Griffiths 2012',
      'van Gestel-Timmermans 2012',
    ])
      expect(pooledEverywhere(body).has(candidate)).toBe(false);
    // The 2021 review judged that Kaplan 2011 gave no usable data: it stays out although Metapsy has rows.
    const recovery = mainAnalysis(body, 'recovery');
    expect(recovery.notPooled).toContainEqual({
      study: 'Kaplan 2011',
      reason: expect.stringContaining('no usable data'),
    });
    expect(tableText(pageText(), 'awaiting-classification')).toContain('Castelein 2008');
    // What the data say about the review's scope is a hint to the screeners, not a decision.
    const rogers = (await local.store.getCopies(['data:rogers-2016'])).get('data:rogers-2016');
    expect(rogers?.record.abstract).toContain('individual format is outside the scope');
  });

  it('pools a candidate only once two reviewers include it at full text, and says what changed', async () => {
    const before = await latest();
    const first = await decide('data:johnson-2018', 'ana', 'title-abstract');
    if (first.state.titleAbstract.status === 'needs-second')
      await decide('data:johnson-2018', 'ben', 'title-abstract');
    await decide('data:johnson-2018', 'ana', 'full-text');
    await reanalyseReview(ports, 'one full-text inclusion');
    expect(pooledEverywhere((await latest()).body).has('Johnson 2018')).toBe(false);

    await decide('data:johnson-2018', 'ben', 'full-text');
    const result = await reanalyseReview(ports, 'screening decision');
    expect(result.created).toBe(true);
    const after = await latest();
    expect(after.version).toBeGreaterThan(before.version);
    const recovery = mainAnalysis(after.body, 'recovery');
    expect(recovery.studies.map((study) => study.study)).toContain('Johnson 2018');
    const change = after.body.changes.find(
      (c) => c.outcome === 'recovery' && c.timepoint === 'post' && c.analysis === 'main' && c.material,
    );
    expect(change?.description).toMatch(
      /^SMD -?\d\.\d\d \(.+\), \d+ trials -> SMD -?\d\.\d\d \(.+\), \d+ trials; added: Johnson 2018$/,
    );
    expect(alerts.at(-1)?.markdown).toContain('added: Johnson 2018');
    expect(await includedStudies()).toContain('Johnson 2018');

    await publishPage(ports);
    const page = pageText();
    expect(tableText(page, 'included-studies')).toContain('Johnson 2018');
    expect(tableText(page, 'included-studies')).toContain('included at full text by ana and ben');
    expect(tableText(page, 'awaiting-classification')).not.toContain('Johnson 2018');
  });

  it('shows beside the recovery plot the risk of bias of exactly its studies, the candidate’s for its pooled result', async () => {
    const recovery = mainAnalysis((await latest()).body, 'recovery');
    const page = pageText();
    const table =
      page.match(/<table id="forest-recovery-post-main-rob" class="rob-compact">([\s\S]*?)<\/table>/)?.[1] ??
      '';
    const rows = [
      ...table.matchAll(/<tr[^>]*><th scope="row">(.*?)<\/th><td data-field="tool">(.*?)<\/td>(.*?)<\/tr>/g),
    ];
    expect(rows.map((row) => row[1])).toEqual(recovery.studies.map((study) => study.study));
    const johnson = rows.find((row) => row[1] === 'Johnson 2018');
    // Metapsy rates Johnson 2018's results apart (measurement: "varies by result"); its recovery result has some concerns.
    expect(johnson?.[2]).toBe('RoB 2, this result');
    expect(johnson?.[3]).toContain('data-domain="D4" data-judgement="some concerns"');
    for (const row of rows.filter((r) => r[1] !== 'Johnson 2018')) expect(row[2], row[1]).toBe('RoB 1');
    // The 2021 review's trials keep its RoB 1 and say that Metapsy's RoB 2 exists too.
    expect(page).toContain(
      'Also rated with RoB 2 (metapsy-data.csv); shown with RoB 1 (Lyons, Cooper &amp; Lloyd-Evans 2021, Table 1 and Results)',
    );
    // In the section, the study itself reads "varies by result" in that domain, among the RoB 2 studies.
    const rob2Studies = page.match(/<table id="risk-of-bias-rob-2-studies"[\s\S]*?<\/table>/)?.[0] ?? '';
    expect(rob2Studies).toMatch(
      /<th scope="row">Johnson 2018<\/th>(<td[^>]*>[^<]*<\/td>){3}<td class="rob-varies-by-result"/,
    );
  });

  it('takes a retracted included study out of the pool with a new version, an alert and a notice', async () => {
    const before = await latest();
    expect(mainAnalysis(before.body, 'recovery').studies.map((s) => s.study)).toContain('Cook 2012a');
    const alertsBefore = alerts.length;
    // PubMed's copy of Cook 2012a's report, now marked retracted: it folds into the included report.
    await ingest(
      [
        bibRecord({
          id: 'pubmed:22474200',
          pmid: '22474200',
          title:
            'A randomized controlled trial of effects of Wellness Recovery Action Planning on depression, anxiety, and recovery',
          authors: ['Cook JA', 'Copeland ME', 'Floyd CB'],
          year: 2012,
          retracted: true,
          publicationTypes: ['Journal Article', 'Retracted Publication'],
        }),
      ],
      ports,
      { cycle: '2026-03-02', dualFraction: 0 },
    );
    const result = await reanalyseReview(ports, 'retraction');
    expect(result.created).toBe(true);
    const after = await latest();
    expect(pooledEverywhere(after.body).has('Cook 2012a')).toBe(false);
    expect(mainAnalysis(after.body, 'recovery').notPooled).toContainEqual({
      study: 'Cook 2012a',
      reason: expect.stringMatching(/^retracted/),
    });
    expect(alerts.length).toBeGreaterThan(alertsBefore);
    expect(alerts.at(-1)?.markdown).toContain('removed: Cook 2012a');
    await publishPage(ports);
    expect(tableText(pageText(), 'retracted-studies')).toContain('Cook 2012a');
    expect(tableText(pageText(), 'retracted-studies')).toContain('removed from every analysis');
  });

  it('publishes a page whose counts reconcile: PRISMA total = included list ⊇ every pooled study', async () => {
    const page = pageText();
    const included = tableText(page, 'included-studies');
    const listed = Number(included.match(/Included studies \((\d+)\)/)?.[1]);
    expect(listed).toBe((await includedStudies()).length);
    const body = (await latest()).body;
    for (const study of pooledEverywhere(body)) expect(included).toContain(study);
    expect(page).toContain(`${listed} included studies (as the PRISMA flow counts them)`);
  });
});
