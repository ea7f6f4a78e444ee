/**
 * The published page in a real browser: built from the real Metapsy data run through the review's analysis plan
 * (see test/support/metapsy-page-model.ts), served by the serve verb's server, opened in headless Chromium.
 * Leaves test-output/page.png for people to look at.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Arm } from '#shared/analysis/effect-sizes.ts';
import { pool } from '#shared/analysis/pool.ts';
import type { AnalysedStudy } from '#shared/analysis/run-plan.ts';
import {
  fixed,
  formatArmValue,
  formatChi2,
  formatEstimate,
  formatI2,
  formatInterval,
  formatP,
  formatRevManPStatement,
} from '#shared/publishing/format.ts';
import { forestPlotIdOf, outcomeLabel, timepointLabel } from '#shared/publishing/from-analysis.ts';
import type { PageModel } from '#shared/publishing/model.ts';
import { localFolderWriter, publishSite } from '#shared/publishing/site-writer.ts';
import { type StaticServer, startStaticServer } from '#shared/publishing/static-server.ts';
import { safeId } from '#shared/publishing/svg.ts';
import { launchChromium } from '#test/support/browser.ts';
import { BASELINE_TRIALS } from '#test/support/group-peer-support.ts';
import { metapsyAnalysis, metapsyPageModel } from '#test/support/metapsy-page-model.ts';
import { HOSTILE_STUDY } from '#test/support/page-model.ts';

interface RowOnPage {
  outcome: string;
  timepoint: string;
  fields: Record<string, string>;
}

/** The arms a study was analysed from: the review's plan pools arm-level data only, so every study has them. */
function armsOf(study: AnalysedStudy): { intervention: Arm; control: Arm } {
  const { intervention, control } = study;
  if (!intervention || !control) throw new Error(`${study.study} was analysed without its arms`);
  return { intervention, control };
}

/** Reads "−0.09" (typographic minus) back as a number. */
const numberFrom = (text: string) => Number(text.replace('\u2212', '-'));

describe('the published page in Chromium', () => {
  const model: PageModel = metapsyPageModel();
  const { analyses } = metapsyAnalysis();
  let folder: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'living-review-page-'));
    await publishSite(model, localFolderWriter(join(folder, 'site')));
    server = await startStaticServer(join(folder, 'site'), 0);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(server.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  async function currentRows(): Promise<RowOnPage[]> {
    return page.$$eval('#summary-of-findings tr.current', (rows) =>
      rows.map((row) => ({
        outcome: row.getAttribute('data-outcome') ?? '',
        timepoint: row.getAttribute('data-timepoint') ?? '',
        fields: Object.fromEntries(
          [...row.querySelectorAll('[data-field]')].map((cell) => [
            cell.getAttribute('data-field') ?? '',
            (cell.textContent ?? '').replaceAll('\u00a0', ' ').trim(),
          ]),
        ),
      })),
    );
  }

  it('shows the summary of findings exactly as the model formats it', async () => {
    const rows = await currentRows();
    expect(rows).toHaveLength(model.findings.length);
    for (const finding of model.findings) {
      const row = rows.find(
        (candidate) => candidate.outcome === finding.outcome && candidate.timepoint === finding.timepoint,
      );
      expect(row, `${finding.outcome} ${finding.timepoint}`).toBeDefined();
      const current = finding.current;
      if (!current) {
        expect(row?.fields['not-pooled']).toBe(finding.currentNote);
        continue;
      }
      expect(row?.fields).toMatchObject({
        k: String(current.k),
        n: String(current.n),
        point: formatEstimate(current.estimate),
        ci: formatInterval(current.ci),
        evidence: current.evidence,
        i2: formatI2(current.I2_Q),
        chi2: formatChi2(current.Q, current.Q_df).replaceAll('\u00a0', ' '),
      });
      expect(row?.fields.p?.startsWith(formatP(current.p))).toBe(true);
    }
  });

  it('shows the numbers the analysis computed, which the pooling engine reproduces from the same effects', async () => {
    const rows = await currentRows();
    const pooledMains = analyses.filter((entry) => entry.analysis === 'main' && entry.pooled);
    expect(pooledMains.length).toBeGreaterThan(0);
    for (const entry of pooledMains) {
      const row = rows.find(
        (candidate) =>
          candidate.outcome === outcomeLabel(entry.outcome) &&
          candidate.timepoint === timepointLabel(entry.timepoint),
      );
      const engine = pool(
        entry.studies.map((study) => ({ study: study.study, yi: study.yi, vi: study.vi })),
        { method: entry.method, test: entry.test },
      );
      const [lower, upper] = (row?.fields.ci ?? '').split(' to ').map(numberFrom);
      for (const [shown, analysed, computed] of [
        [numberFrom(row?.fields.point ?? ''), entry.estimate, engine.estimate],
        [lower, entry.ci?.[0], engine.ci[0]],
        [upper, entry.ci?.[1], engine.ci[1]],
      ]) {
        expect(shown).toBeCloseTo(analysed ?? Number.NaN, 2);
        expect(analysed).toBeCloseTo(computed ?? Number.NaN, 10);
      }
      expect(Number.parseInt(row?.fields.i2 ?? '', 10)).toBe(Math.round(engine.I2_Q));
    }
  });

  it('shows the 2021 published values beneath each outcome', async () => {
    const published = await page.$$eval('#summary-of-findings tr.published [data-field="point"]', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(published).toEqual(
      model.findings.flatMap((finding) =>
        finding.published ? [formatEstimate(finding.published.estimate)] : [],
      ),
    );
  });

  it('draws one forest plot per pooled analysis, each an image with a title and description', async () => {
    const pooledCount = model.findings.filter((finding) => finding.current !== null).length;
    expect(await page.locator('svg.forest-plot').count()).toBe(pooledCount);
    const svgs = await page.locator('svg[role="img"]').all();
    expect(svgs.length).toBeGreaterThan(pooledCount);
    for (const svg of svgs) {
      const ids = (await svg.getAttribute('aria-labelledby'))?.split(' ') ?? [];
      expect(ids).toHaveLength(2);
      for (const id of ids) expect((await page.locator(`#${id}`).textContent())?.length).toBeGreaterThan(0);
    }
  });

  /** The visible text of each <text> matching `selector` inside one SVG, without tooltip titles. */
  async function svgTexts(svgId: string, selector: string): Promise<string[][]> {
    return page.$$eval(`svg#${svgId} ${selector}`, (groups) =>
      groups.map((group) =>
        [...(group.tagName === 'text' ? [group] : group.querySelectorAll('text'))].map((text) =>
          [...text.childNodes]
            .filter((node) => node.nodeType === 3) // text nodes; the tooltip is a <title> element
            .map((node) => node.textContent)
            .join(''),
        ),
      ),
    );
  }

  it('prints each forest plot as RevMan does: the arms, the totals, heterogeneity and the overall test from the analysis', async () => {
    const pooledMains = analyses.filter((entry) => entry.analysis === 'main' && entry.pooled);
    expect(pooledMains.length).toBeGreaterThan(0);
    for (const entry of pooledMains) {
      const svgId = `${safeId(forestPlotIdOf(entry))}-plot`;
      const rows = await svgTexts(svgId, 'g.study');
      expect(rows).toHaveLength(entry.studies.length);
      entry.studies.forEach((study, index) => {
        const { intervention, control } = armsOf(study);
        expect(rows[index]?.slice(1, 7), study.study).toEqual([
          formatArmValue(intervention.mean),
          formatArmValue(intervention.sd),
          String(intervention.n),
          formatArmValue(control.mean),
          formatArmValue(control.sd),
          String(control.n),
        ]);
        expect(numberFrom(rows[index]?.[1] ?? '')).toBeCloseTo(intervention.mean, 2);
        expect(Number(rows[index]?.[3]) + Number(rows[index]?.[6])).toBe(study.n);
      });
      const [total] = await svgTexts(svgId, 'g.total');
      const sum = (arm: 'intervention' | 'control') =>
        entry.studies.reduce((count, study) => count + armsOf(study)[arm].n, 0);
      expect(total).toEqual([
        'Total (95% CI)',
        String(sum('intervention')),
        String(sum('control')),
        '100.0%',
        `${formatEstimate(entry.estimate ?? Number.NaN)} [${formatEstimate(entry.ci?.[0] ?? Number.NaN)}, ${formatEstimate(entry.ci?.[1] ?? Number.NaN)}]`,
      ]);
      expect(sum('intervention') + sum('control')).toBe(entry.n);

      const foot = (await svgTexts(svgId, 'text.foot')).flat();
      const { tau2, Q, Q_df, Q_p, I2_Q, estimate, se, p } = entry;
      expect(foot[0]).toBe(
        `Heterogeneity: Tau² = ${fixed(tau2 ?? Number.NaN, 2)}; Chi² = ${fixed(Q ?? Number.NaN, 2)}, df = ${Q_df} (${formatRevManPStatement(Q_p ?? Number.NaN)}); I² = ${formatI2(I2_Q ?? Number.NaN)}`,
      );
      expect(entry.test).toBe('z');
      const z = Math.abs((estimate ?? Number.NaN) / (se ?? Number.NaN));
      expect(foot[1]).toBe(
        `Test for overall effect: Z = ${fixed(z, 2)} (${formatRevManPStatement(p ?? Number.NaN)})`,
      );
      // The Z printed is the pooling engine's own statistic for the same effects.
      const engine = pool(
        entry.studies.map((study) => ({ study: study.study, yi: study.yi, vi: study.vi })),
        { method: entry.method, test: entry.test },
      );
      expect(Number(/Z = ([\d.]+)/.exec(foot[1] ?? '')?.[1])).toBeCloseTo(Math.abs(engine.stat), 2);
      const anyReversed = entry.studies.some((study) => !study.higherIsBetter);
      expect(foot.join(' ').includes('Scale reversed')).toBe(anyReversed);

      const description = (await page.locator(`#${svgId}-desc`).textContent()) ?? '';
      expect(description).toContain(`test for overall effect Z = ${fixed(z, 2)}, `);
      expect(description).toContain(`Heterogeneity: Tau² = ${fixed(tau2 ?? Number.NaN, 2)}, Chi² = `);
    }
  });

  it('draws the forest plots at full size with no text overlapping other text or the plot', async () => {
    const plots = await page.locator('svg.forest-plot').all();
    expect(plots.length).toBeGreaterThan(0);
    for (const plot of plots) {
      const problems = await plot.evaluate((svg) => {
        const found: string[] = [];
        const frame = svg.getBoundingClientRect();
        if (frame.width < Number(svg.getAttribute('width')) - 0.5)
          found.push(`scaled down to ${frame.width}px`);
        const boxes = [...svg.querySelectorAll('text')].map((text) => ({
          text: text.textContent ?? '',
          box: text.getBoundingClientRect(),
          inRow: text.closest('g.study, g.total') !== null,
        }));
        const plotLeft = svg.querySelector('line.axis')?.getBoundingClientRect().left ?? Number.NaN;
        boxes.forEach(({ text, box, inRow }, index) => {
          if (
            box.left < frame.left - 0.5 ||
            box.right > frame.right + 0.5 ||
            box.bottom > frame.bottom + 0.5
          ) {
            found.push(`"${text}" runs outside the image`);
          }
          if (inRow && box.right > plotLeft) found.push(`"${text}" runs into the plot`);
          for (const other of boxes.slice(index + 1)) {
            const overlaps =
              box.left < other.box.right - 0.5 &&
              other.box.left < box.right - 0.5 &&
              box.top < other.box.bottom - 0.5 &&
              other.box.top < box.bottom - 0.5;
            if (overlaps) found.push(`"${text}" overlaps "${other.text}"`);
          }
        });
        return found;
      });
      expect(problems).toEqual([]);
    }
  });

  it('renders a study named like an injection as plain text and runs nothing', async () => {
    expect(await page.getByText(HOSTILE_STUDY, { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requested.filter((path) => path.endsWith('/x'))).toEqual([]);
  });

  it('loads its hashed stylesheet', async () => {
    const stylesheet = requested.find((path) => /^\/style\.[0-9a-f]{8}\.css$/.test(path));
    expect(stylesheet).toBeDefined();
    // Unstyled, <main> would span the whole 1280px viewport; the stylesheet caps the body at 70rem.
    expect((await page.locator('main').boundingBox())?.width).toBeLessThanOrEqual(1120);
  });

  it('shows the PRISMA counts of the 2021 review', async () => {
    const prisma = (await page.locator('#prisma').textContent())?.replaceAll('\u00a0', ' ') ?? '';
    for (const count of ['(n = 7423)', '(n = 4277)', '(n = 98)', '(n = 8)', '4179', '3146']) {
      expect(prisma).toContain(count);
    }
  });

  it('writes a full-page screenshot for people to look at', async () => {
    await mkdir('test-output', { recursive: true });
    const image = await page.screenshot({ path: 'test-output/page.png', fullPage: true });
    expect(image.length).toBeGreaterThan(10_000);
  });
  it('shows beside each forest plot the risk of bias of exactly the studies it pools, each with its tool', async () => {
    const pooledMains = analyses.filter((entry) => entry.analysis === 'main' && entry.pooled);
    expect(model.forestPlots).toHaveLength(pooledMains.length);
    const toolOf = new Map(model.riskOfBias.studies.map((study) => [study.study, study.tool]));
    for (const [index, spec] of model.forestPlots.entries()) {
      const rows = await page
        .locator(`section.forest >> nth=${index}`)
        .locator('table.rob-compact tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => ({
            study: tr.querySelector('th')?.textContent ?? '',
            tool: tr.querySelector('[data-field="tool"]')?.textContent ?? '',
            overall: tr.querySelector('[data-field="overall"]')?.getAttribute('data-judgement') ?? '',
            domains: [...tr.querySelectorAll('[data-domain]')].map((mark) =>
              mark.getAttribute('data-domain'),
            ),
          })),
        );
      expect(rows.map((row) => row.study)).toEqual(pooledMains[index]?.studies.map((study) => study.study));
      for (const row of rows) {
        const tool = toolOf.get(row.study);
        expect(row.tool, row.study).toMatch(tool === 'RoB 2' ? /^RoB 2(, this result)?$/ : /^RoB 1$/);
        expect(row.domains).toEqual(
          tool === 'RoB 2' ? ['D1', 'D2', 'D3', 'D4', 'D5'] : ['A', 'B', 'C', 'D', 'E', 'F', 'G'],
        );
        expect(row.overall).not.toBe('');
      }
      expect(spec.studies.map((study) => study.label)).toEqual(rows.map((row) => row.study));
    }
    // Boevink 2016 is rated per result in Metapsy: the empowerment plot shows that result's RoB 2.
    const empowerment = page.locator(`#${'forest-empowerment-post-main'} table.rob-compact`);
    expect(
      await empowerment
        .locator('tr', { hasText: 'Boevink 2016' })
        .locator('[data-field="tool"]')
        .textContent(),
    ).toBe('RoB 2, this result');
  });

  it('draws a risk of bias graph per tool whose numbers are the studies’ judgements, counted once each', async () => {
    for (const tool of ['RoB 1', 'RoB 2'] as const) {
      const slug = tool === 'RoB 1' ? 'rob-1' : 'rob-2';
      const studies = model.riskOfBias.studies.filter((study) => study.tool === tool);
      expect(studies.length).toBeGreaterThan(0);
      const graph = page.locator(`svg#rob-graph-${slug}`);
      expect(await graph.getAttribute('role')).toBe('img');
      const desc = (await page.locator(`#rob-graph-${slug}-desc`).textContent()) ?? '';
      expect(desc).toContain(`Share of the ${studies.length} studies assessed with ${tool}`);
      expect(desc).toContain('each study counts once (unweighted)');
      // Overall, counted here from the model's studies, must be what the table under the graph says.
      const overallCells = await page
        .locator(`#rob-shares-${slug} tr[data-domain="overall"] td`)
        .evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-judgement'), td.textContent]));
      for (const [judgement, text] of overallCells) {
        const n = studies.filter((study) => (study.overall ?? 'not assessed') === judgement).length;
        expect(text, `${tool} ${judgement}`).toBe(`${n} (${Math.round((100 * n) / studies.length)}%)`);
      }
      // Each domain's bar is whole: its segments fill the 0-100% axis exactly.
      const widths = await graph
        .locator('rect.rob-segment[data-judgement]')
        .evaluateAll((rects) =>
          rects.map((rect) => [rect.getAttribute('y'), Number(rect.getAttribute('width'))] as const),
        );
      const byRow = new Map<string, number>();
      for (const [y, width] of widths) byRow.set(y ?? '', (byRow.get(y ?? '') ?? 0) + width);
      expect(byRow.size).toBe(tool === 'RoB 1' ? 8 : 6);
      for (const total of byRow.values()) expect(total).toBeCloseTo(400, 1);
    }
  });

  it('names each study’s tool and opens a RoB 1 judgement’s quoted basis without JavaScript', async () => {
    const rob1Rows = page.locator('#risk-of-bias-rob-1-studies tbody tr');
    const rob1Studies = model.riskOfBias.studies.filter((study) => study.tool === 'RoB 1');
    expect(await rob1Rows.count()).toBe(rob1Studies.length);
    const rusch = rob1Rows.filter({ hasText: 'Rüsch 2014' });
    // The 2021 review's trials are also rated with RoB 2 in Metapsy: one footnote, marked on each of them, says so.
    const noteId = (await rusch.locator('[data-field="note-ref"]').getAttribute('href'))?.slice(1) ?? '';
    expect(await page.locator(`[id="${noteId}"]`).textContent()).toContain(
      'Also rated with RoB 2 (data.csv)',
    );
    expect(await page.locator(`#risk-of-bias-rob-1-studies a[href="#${noteId}"]`).count()).toBe(
      rob1Studies.length,
    );
    const trial = BASELINE_TRIALS.find((candidate) => candidate.study.label === 'Rüsch 2014');
    const basis = trial?.study.riskOfBias.rob1?.selectiveReporting.basis ?? '';
    const cell = rusch.locator('td').nth(5);
    const quoted = cell.locator('.rob-basis');
    expect(await quoted.textContent()).toBe(basis);
    expect(await quoted.isVisible()).toBe(false);
    await cell.locator('summary').click();
    expect(await quoted.isVisible()).toBe(true);
    expect(await page.locator('#risk-of-bias-rob-2-studies tbody tr').count()).toBe(
      model.riskOfBias.studies.length - rob1Studies.length,
    );
  });
});
