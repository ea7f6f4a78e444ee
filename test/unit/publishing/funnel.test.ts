import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { FUNNEL_MIN_TRIALS, renderFunnelPlot } from '#shared/publishing/funnel.ts';
import type { ForestPlotSpec } from '#shared/publishing/model.ts';
import { buildSite } from '#shared/publishing/site.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

function plotWithTrials(k: number): ForestPlotSpec {
  const base = pageModelFixture().forestPlots[0];
  if (!base) throw new Error('fixture has no forest plot');
  const studies = Array.from({ length: k }, (_, index) => ({
    label: `Trial ${index + 1}`,
    study: `Trial ${index + 1}`,
    yi: 0.1 * (index % 4),
    vi: 0.01 * (index + 1),
    ci: [-0.5, 0.7] as const,
    weight: 1,
    intervention: { mean: 51, sd: 10, n: 40 },
    control: { mean: 50, sd: 10, n: 40 },
    reversedScale: false,
  }));
  return { ...base, studies };
}

describe('funnel plot', () => {
  it('is shown on the page with the Egger test and trim-and-fill of an analysis with 10 trials', () => {
    const model = pageModelFixture();
    const html = new TextDecoder().decode(
      buildSite(model).find((file) => file.path === 'index.html')?.bytes ?? new Uint8Array(),
    );
    const tenTrials = model.forestPlots.filter((plot) => plot.studies.length >= FUNNEL_MIN_TRIALS);
    expect(tenTrials).toHaveLength(1);
    expect(html.match(/class="funnel-plot"/g)).toHaveLength(1);
    expect(html).toContain('Egger&#39;s test for funnel asymmetry: p = ');
    expect(html).toMatch(/Trim-and-fill: \d+ stud(y|ies) imputed on the (left|right)/);
  });

  it('is not drawn with fewer than 10 trials', () => {
    expect(renderFunnelPlot(plotWithTrials(FUNNEL_MIN_TRIALS - 1))).toBeNull();
  });

  it('plots one point per trial from 10 trials on, as a labelled image', () => {
    const svg = renderFunnelPlot(plotWithTrials(FUNNEL_MIN_TRIALS));
    expect(svg).not.toBeNull();
    expect(XMLValidator.validate(svg ?? '')).toBe(true);
    expect(svg?.match(/<circle /g)).toHaveLength(FUNNEL_MIN_TRIALS);
    expect(svg).toContain('role="img"');
  });
});
