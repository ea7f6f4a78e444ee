import { describe, expect, it } from 'vitest';
import {
  type ArmOutcomeRow,
  ROB1_DOMAINS,
  ROB2_DOMAINS,
  type Rob2Assessment,
  type Study,
} from '#shared/extraction/model.ts';
import { escapeHtml } from '#shared/publishing/escape.ts';
import type { StudyRiskOfBias } from '#shared/publishing/model.ts';
import {
  renderPlotRiskOfBias,
  renderRiskOfBiasChart,
  renderRiskOfBiasSection,
} from '#shared/publishing/rob.ts';
import {
  ROB1_TOOL,
  ROB2_TOOL,
  resultRiskOfBias,
  riskOfBiasShares,
  studyRiskOfBias,
  type ToolShares,
} from '#shared/publishing/rob-model.ts';
import { BASELINE_TRIALS } from '#test/support/group-peer-support.ts';
import { HOSTILE_STUDY, pageModelFixture, riskOfBiasFixture } from '#test/support/page-model.ts';

const rob1Study = (
  study: string,
  judgements: string,
  overall: 'low' | 'unclear' | 'high',
): StudyRiskOfBias => {
  const code = { l: 'low', u: 'unclear', h: 'high' } as const;
  return {
    tool: 'RoB 1',
    study,
    domains: Object.fromEntries(
      [...judgements].flatMap((letter, i) => {
        const domain = ROB1_DOMAINS[i];
        const judgement = code[letter as keyof typeof code];
        return domain && judgement ? [[domain, { judgement, basis: `basis of ${domain}` }]] : [];
      }),
    ),
    overall,
  };
};

const rob2 = (overrides: Partial<Rob2Assessment['domains']> = {}): Rob2Assessment => ({
  domains: {
    randomisationProcess: 'low',
    deviationsFromIntendedInterventions: 'low',
    missingOutcomeData: 'low',
    measurementOfTheOutcome: 'low',
    selectionOfTheReportedResult: 'low',
    ...overrides,
  },
  overall: Object.values(overrides).includes('high')
    ? 'high'
    : Object.values(overrides).includes('some concerns')
      ? 'some concerns'
      : 'low',
});

/** Three RoB 1 studies (one assessed in two domains only) and two RoB 2 studies, one rated apart by result. */
const MIXED: StudyRiskOfBias[] = [
  rob1Study('Alpha 2001', 'lllllll', 'low'),
  rob1Study('Beta 2002', 'luuhlll', 'high'),
  rob1Study('Gamma 2003', 'uu', 'unclear'),
  {
    tool: 'RoB 2',
    study: 'Delta 2020',
    domains: {
      ...rob2({ missingOutcomeData: 'some concerns' }).domains,
      measurementOfTheOutcome: 'varies by result',
    },
    overall: 'varies by result',
  },
  { tool: 'RoB 2', study: 'Epsilon 2021', ...rob2({ randomisationProcess: 'high' }) },
];

/** Studies per judgement in one domain, as [judgement, studies, percent] for the judgements given. */
function given(shares: ToolShares | undefined, domainId: string) {
  const domain = shares?.domains.find((d) => d.id === domainId);
  return domain?.shares.filter((s) => s.studies > 0).map((s) => [s.judgement, s.studies, s.percent]);
}

function metapsyStudy(label: string, assessment: Study['riskOfBias']['rob2']): Study {
  return {
    id: label.toLowerCase().replace(/\s+/g, '-'),
    label,
    authors: [label.split(' ')[0] ?? label],
    year: 2018,
    characteristics: {
      coded: { interventionCategory: null, structured: null, severeMentalHealthConditions: null },
      comparators: [],
      country: null,
      nRandomised: null,
      format: null,
    },
    inScope: true,
    scopeReason: 'test',
    riskOfBias: { rob1: null, rob1Overall: null, rob2: assessment },
    provenance: { source: 'metapsy', document: 'data.csv', row: 1 },
  };
}

describe('each study with the tool it was assessed with', () => {
  it('lists the tools’ domains exactly as the extraction model has them, in order', () => {
    expect(ROB1_TOOL.domains.map((d) => d.id)).toEqual([...ROB1_DOMAINS]);
    expect(ROB2_TOOL.domains.map((d) => d.id)).toEqual([...ROB2_DOMAINS]);
    expect(ROB1_TOOL.domains.map((d) => d.short)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(ROB2_TOOL.domains.map((d) => d.short)).toEqual(['D1', 'D2', 'D3', 'D4', 'D5']);
  });

  it('shows a 2021 trial with the RoB 1 the review gave it, each judgement with its quoted basis, and names its RoB 2', () => {
    const trial = BASELINE_TRIALS.find((t) => t.study.label === 'Rüsch 2014');
    if (!trial?.study.riskOfBias.rob1) throw new Error('Rüsch 2014 is a baseline trial with RoB 1');
    const metapsy = metapsyStudy('Rüsch 2014', rob2({ measurementOfTheOutcome: 'some concerns' }));
    const shown = studyRiskOfBias('Rüsch 2014', trial.study, [metapsy]);
    expect(shown?.tool).toBe('RoB 1');
    if (shown?.tool !== 'RoB 1') return;
    expect(shown.overall).toBe('high');
    expect(Object.keys(shown.domains)).toEqual([...ROB1_DOMAINS]);
    for (const domain of ROB1_DOMAINS) {
      expect(shown.domains[domain]).toEqual({
        judgement: trial.study.riskOfBias.rob1[domain].rating,
        basis: trial.study.riskOfBias.rob1[domain].basis,
      });
    }
    expect(shown.note).toBe(
      "Also rated with RoB 2 (data.csv); shown with RoB 1 (Lyons, Cooper & Lloyd-Evans 2021, Table 1 and Results), the tool the review's analyses use for this study.",
    );
  });

  it('says nothing about RoB 2 for a RoB 1 study that has none', () => {
    const trial = BASELINE_TRIALS.find((t) => t.study.label === 'Rüsch 2014');
    if (!trial) throw new Error('Rüsch 2014 is a baseline trial');
    expect(studyRiskOfBias('Rüsch 2014', trial.study)).not.toHaveProperty('note');
  });

  it('shows a study with RoB 2 only in RoB 2’s five domains, keeping "varies by result"', () => {
    const assessment = {
      domains: { ...rob2().domains, measurementOfTheOutcome: 'varies by result' as const },
      overall: 'varies by result' as const,
    };
    expect(studyRiskOfBias('Johnson 2018', metapsyStudy('Johnson 2018', assessment))).toEqual({
      tool: 'RoB 2',
      study: 'Johnson 2018',
      domains: assessment.domains,
      overall: 'varies by result',
    });
  });

  it('shows no assessment for a study with neither tool', () => {
    expect(studyRiskOfBias('Nobody 2020', metapsyStudy('Nobody 2020', null))).toBeNull();
  });
});

describe('the RoB 2 of one pooled result', () => {
  const row = (assessment: Rob2Assessment | null, arm: string): ArmOutcomeRow => ({
    id: `johnson-2018 recovery ${arm}`,
    studyId: 'johnson-2018',
    outcome: 'recovery',
    sourceOutcome: 'Recovery',
    instrument: 'QPR',
    timepoint: 'post',
    time: 'post',
    weeks: 12,
    higherIsBetter: true,
    rob2: assessment,
    provenance: { source: 'metapsy', document: 'data.csv', row: 1 },
    status: 'usable',
    arm,
    role: arm === 'peer' ? 'intervention' : 'control',
    controlType: arm === 'peer' ? null : 'tau',
    mean: 1,
    sd: 1,
    n: 10,
  });

  it('is the rating its rows share', () => {
    const rating = rob2({ measurementOfTheOutcome: 'some concerns' });
    expect(resultRiskOfBias('plot', 'Johnson 2018', [row(rating, 'peer'), row(rating, 'tau')])).toEqual({
      forestPlotId: 'plot',
      study: 'Johnson 2018',
      ...rating,
    });
  });

  it('reads "varies by result" in exactly the domains its rows rate apart', () => {
    const result = resultRiskOfBias('plot', 'Johnson 2018', [
      row(rob2({ measurementOfTheOutcome: 'some concerns' }), 'peer'),
      row(rob2({ measurementOfTheOutcome: 'high' }), 'tau'),
    ]);
    expect(result?.domains).toEqual({ ...rob2().domains, measurementOfTheOutcome: 'varies by result' });
    expect(result?.overall).toBe('varies by result');
  });

  it('is absent when the source rated none of its rows', () => {
    expect(resultRiskOfBias('plot', 'Johnson 2018', [row(null, 'peer'), row(null, 'tau')])).toBeNull();
  });
});

describe('the share of studies per judgement, per tool', () => {
  const [rob1Shares, rob2Shares] = riskOfBiasShares(MIXED);

  it('counts each tool’s studies apart, each study once', () => {
    expect(riskOfBiasShares(MIXED).map((t) => [t.tool, t.studies])).toEqual([
      ['RoB 1', 3],
      ['RoB 2', 2],
    ]);
    expect(rob1Shares?.domains.map((d) => d.id)).toEqual([...ROB1_DOMAINS, 'overall']);
    expect(rob2Shares?.domains.map((d) => d.id)).toEqual([...ROB2_DOMAINS, 'overall']);
  });

  it('counts RoB 1 judgements per domain, a domain left unassessed as "not assessed"', () => {
    expect(given(rob1Shares, 'randomSequenceGeneration')).toEqual([
      ['low', 2, 67],
      ['unclear', 1, 33],
    ]);
    expect(given(rob1Shares, 'allocationConcealment')).toEqual([
      ['low', 1, 33],
      ['unclear', 2, 67],
    ]);
    expect(given(rob1Shares, 'blindingOfOutcomeAssessment')).toEqual([
      ['low', 1, 33],
      ['high', 1, 33],
      ['not assessed', 1, 33],
    ]);
    expect(given(rob1Shares, 'overall')).toEqual([
      ['low', 1, 33],
      ['unclear', 1, 33],
      ['high', 1, 33],
    ]);
  });

  it('counts RoB 2 in its own words, "varies by result" apart from "some concerns"', () => {
    expect(given(rob2Shares, 'randomisationProcess')).toEqual([
      ['low', 1, 50],
      ['high', 1, 50],
    ]);
    expect(given(rob2Shares, 'missingOutcomeData')).toEqual([
      ['low', 1, 50],
      ['some concerns', 1, 50],
    ]);
    expect(given(rob2Shares, 'measurementOfTheOutcome')).toEqual([
      ['low', 1, 50],
      ['varies by result', 1, 50],
    ]);
    expect(given(rob2Shares, 'overall')).toEqual([
      ['high', 1, 50],
      ['varies by result', 1, 50],
    ]);
    expect(rob2Shares?.domains[0]?.shares.map((s) => s.judgement)).toEqual([
      'low',
      'some concerns',
      'high',
      'varies by result',
      'not assessed',
    ]);
  });

  it('gives no tool at all when no study was assessed', () => {
    expect(riskOfBiasShares([])).toEqual([]);
  });
});

describe('the risk of bias graph', () => {
  const [rob1Shares, rob2Shares] = riskOfBiasShares(MIXED);
  if (!rob1Shares || !rob2Shares) throw new Error('the mixed set has both tools');
  const rob1Svg = renderRiskOfBiasChart(rob1Shares);
  const rob2Svg = renderRiskOfBiasChart(rob2Shares);

  it('is an image named by its title and described by its numbers in words', () => {
    expect(rob1Svg).toMatch(
      /^<svg [^>]*role="img" aria-labelledby="rob-graph-rob-1-title rob-graph-rob-1-desc"/,
    );
    expect(rob1Svg).toContain(
      '<title id="rob-graph-rob-1-title">Risk of bias graph, RoB 1: 3 studies</title>',
    );
    const desc = rob1Svg.match(/<desc id="rob-graph-rob-1-desc">(.*?)<\/desc>/)?.[1] ?? '';
    expect(desc).toContain(
      'Share of the 3 studies assessed with RoB 1 given each judgement, by domain; each study counts once (unweighted).',
    );
    expect(desc).toContain(
      'Random sequence generation (selection bias): low risk 2 of 3 studies (67%), unclear risk 1 of 3 studies (33%).',
    );
    expect(desc).toContain(
      'Blinding of outcome assessment (detection bias): low risk 1 of 3 studies (33%), high risk 1 of 3 studies (33%), not assessed 1 of 3 studies (33%).',
    );
    const rob2Desc = rob2Svg.match(/<desc id="rob-graph-rob-2-desc">(.*?)<\/desc>/)?.[1] ?? '';
    expect(rob2Desc).toContain(
      'Bias in measurement of the outcome: low risk 1 of 2 studies (50%), varies by result 1 of 2 studies (50%).',
    );
    expect(rob2Desc).not.toMatch(/unclear/i);
  });

  it('draws one segment per judgement given, as wide as its share, with its percentage written on it', () => {
    const row = (svg: string, label: string) => {
      const start = svg.indexOf(`>${escapeHtml(label)}</text>`);
      const next = svg.indexOf('class="domain"', start + 1);
      return svg.slice(start, next === -1 ? svg.indexOf('<line class="axis"') : next);
    };
    const sequence = row(rob1Svg, 'Random sequence generation (selection bias)');
    expect(
      [...sequence.matchAll(/data-judgement="([^"]+)"[^>]*width="([\d.]+)"/g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['low', '266.67'],
      ['unclear', '133.33'],
    ]);
    expect([...sequence.matchAll(/class="share">(\d+%)<\/text>/g)].map((m) => m[1])).toEqual(['67%', '33%']);
  });

  it('tells judgements apart by pattern and a written legend, not by colour alone', () => {
    for (const judgement of ['unclear', 'high']) {
      const pattern = rob1Svg.match(
        new RegExp(`<pattern id="rob-graph-rob-1-${judgement}"[^>]*>(.*?)</pattern>`),
      )?.[1];
      expect(pattern, judgement).toMatch(/<line /);
    }
    expect(rob2Svg).toMatch(/<pattern id="rob-graph-rob-2-varies-by-result"[^>]*>.*?<circle /);
    for (const words of ['Low risk', 'Some concerns', 'High risk', 'Varies by result'])
      expect(rob2Svg).toContain(`>${words}</text>`);
    expect(rob2Svg).not.toContain('>Unclear risk</text>');
    expect(rob1Svg).toContain('>Not assessed</text>');
  });
});

describe('the risk-of-bias section', () => {
  const html = renderRiskOfBiasSection(riskOfBiasFixture());

  it('gives each tool its graph, its numbers and its studies, saying the graph is unweighted', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('Each study counts once (unweighted), as in RevMan');
    const rob2Table = html.slice(html.indexOf('id="risk-of-bias-rob-2-studies"'));
    expect(rob2Table).toContain(
      '<th scope="col"><span class="rob-short">D4</span> Bias in measurement of the outcome</th>',
    );
    expect(rob2Table).toContain('data-judgement="varies by result">Varies by result</td>');
    expect(rob2Table).not.toContain('Random sequence generation');
  });

  it('offers each RoB 1 judgement’s basis without JavaScript, escaped', () => {
    expect(html).toContain(
      `<details><summary>Unclear risk</summary><p class="rob-basis">${escapeHtml('given in test.csv: "assessors <b>not</b> said to be blind"')}</p></details>`,
    );
    expect(html).not.toContain('<b>not</b>');
    expect(html).toContain(escapeHtml(HOSTILE_STUDY));
    expect(html).not.toContain(HOSTILE_STUDY);
  });

  it('says, beside a study rated with both tools, why it is shown with RoB 1', () => {
    expect(html).toContain(
      'Test trial B (2012) <sup><a href="#risk-of-bias-rob-1-note-1" data-field="note-ref">1</a></sup></th>',
    );
    expect(html).toContain(
      '<li id="risk-of-bias-rob-1-note-1" data-field="note">Also rated with RoB 2 (test.csv); shown with RoB 1 (test data), the tool the review&#39;s analyses use for this study.</li>',
    );
    expect(html.match(/data-field="note-ref"/g)).toHaveLength(1);
  });

  it('says so when no study has been assessed yet', () => {
    expect(renderRiskOfBiasSection({ studies: [], results: [] })).toContain(
      'No included study has a risk-of-bias assessment yet.',
    );
  });
});

describe('the risk of bias beside a forest plot', () => {
  const model = pageModelFixture();
  const plot = (id: string) => {
    const spec = model.forestPlots.find((candidate) => candidate.id === id);
    if (!spec) throw new Error(`the fixture has no plot ${id}`);
    return spec;
  };
  const rowsOf = (html: string) =>
    [
      ...html.matchAll(
        /<tr(?: data-tool="[^"]*")?><th scope="row">(.*?)<\/th><td data-field="tool">(.*?)<\/td><td class="[^"]*" data-field="overall" data-judgement="([^"]*)">.*?<td data-field="domains">(.*?)<\/td><\/tr>/g,
      ),
    ].map((m) => ({
      study: m[1],
      tool: m[2],
      overall: m[3],
      marks: [...(m[4] ?? '').matchAll(/data-domain="([^"]+)" data-judgement="([^"]+)"/g)].map(
        (k) => `${k[1]} ${k[2]}`,
      ),
    }));

  it('lists exactly the studies of each plot, in the plot’s order', () => {
    expect(model.forestPlots.length).toBeGreaterThan(1);
    for (const spec of model.forestPlots) {
      const rows = rowsOf(renderPlotRiskOfBias(spec, model.riskOfBias));
      expect(rows.map((row) => row.study)).toEqual(spec.studies.map((study) => escapeHtml(study.label)));
    }
  });

  it('shows the tool, the overall judgement and the tool’s own domains of each study', () => {
    const rows = rowsOf(renderPlotRiskOfBias(plot('recovery-post'), model.riskOfBias));
    expect(rows[1]).toEqual({
      study: 'Test trial B (2012)',
      tool: 'RoB 1',
      overall: 'high',
      marks: ['A low', 'B low', 'C low', 'D unclear', 'E high', 'F low', 'G low'],
    });
    expect(rows[2]).toEqual({
      study: 'Test trial C (2012)',
      tool: 'RoB 2',
      overall: 'high',
      marks: ['D1 low', 'D2 low', 'D3 low', 'D4 low', 'D5 high'],
    });
    expect(rows[3]?.marks).toEqual([
      'A unclear',
      'B unclear',
      'C not assessed',
      'D not assessed',
      'E not assessed',
      'F not assessed',
      'G not assessed',
    ]);
  });

  it('uses the RoB 2 of the pooled result where the source rated it, and the study’s elsewhere', () => {
    const label = escapeHtml('Test trial E & "quoted" ]]> (2014)');
    const inRecovery = rowsOf(renderPlotRiskOfBias(plot('recovery-post'), model.riskOfBias)).find(
      (row) => row.study === label,
    );
    const inEmpowerment = rowsOf(renderPlotRiskOfBias(plot('empowerment-post'), model.riskOfBias)).find(
      (row) => row.study === label,
    );
    expect(inRecovery).toMatchObject({ tool: 'RoB 2, this result', overall: 'some concerns' });
    expect(inRecovery?.marks).toContain('D4 some concerns');
    expect(inEmpowerment).toMatchObject({ tool: 'RoB 2', overall: 'varies by result' });
    expect(inEmpowerment?.marks).toContain('D4 varies by result');
  });

  it('shows a pooled study nobody assessed as such', () => {
    const rows = rowsOf(renderPlotRiskOfBias(plot('depression-post'), model.riskOfBias));
    expect(rows).toHaveLength(10);
    expect(
      rows.every((row) => row.tool === 'None' && row.overall === 'not assessed' && row.marks.length === 0),
    ).toBe(true);
  });

  it('explains only the domains and marks the table uses', () => {
    const legend = (html: string) => html.match(/<p class="note rob-legend">(.*?)<\/p>/)?.[1] ?? '';
    const mixed = legend(renderPlotRiskOfBias(plot('recovery-post'), model.riskOfBias));
    expect(mixed).toContain('RoB 1 domains: A random sequence generation (selection bias),');
    expect(mixed).toContain('RoB 2 domains: D1 bias arising from the randomisation process,');
    expect(mixed).toContain('? unclear risk or some concerns;');
    expect(mixed).toContain('&quot;RoB 2, this result&quot;: rated for the result pooled in this plot.');
    // Follow-up pools test trials A, B (RoB 1) and C (RoB 2), none with a result-level rating.
    const rob1And2 = legend(renderPlotRiskOfBias(plot('recovery-follow-up'), model.riskOfBias));
    expect(rob1And2).not.toContain('this result');
    expect(rob1And2).not.toContain('varies by result');
    expect(rob1And2).not.toContain('not assessed');
  });
});
