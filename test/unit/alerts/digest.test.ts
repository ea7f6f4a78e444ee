import { describe, expect, it } from 'vitest';
import { composeDigest, renderDigest, sourceLink } from '#shared/alerts/digest.ts';
import { bibRecord } from '#test/support/store.ts';

const keywords = ['peer support', 'group', 'recovery'];
const base = { date: '2026-01-05', registryChanges: [], retractions: [], keywords };

describe('composeDigest', () => {
  it('sends nothing when nothing is new', () => {
    expect(composeDigest({ ...base, newRecords: [] })).toBeUndefined();
  });

  it('counts new records and ranks the most relevant first, saying why each matched', () => {
    const offTopic = bibRecord({
      id: 'pubmed:1',
      pmid: '1',
      title: 'Budesonide in mild asthma',
      abstract: '',
    });
    const onTopic = bibRecord({
      id: 'pubmed:2',
      pmid: '2',
      title: 'Peer support groups for recovery: a randomised controlled trial',
    });
    const digest = composeDigest({ ...base, newRecords: [offTopic, onTopic], top: 1 });
    expect(digest?.newCount).toBe(2);
    expect(digest?.top).toEqual([
      {
        id: 'pubmed:2',
        title: onTopic.title,
        link: 'https://pubmed.ncbi.nlm.nih.gov/2/',
        why: 'randomised trial; mentions "peer support", "group", "recovery"',
      },
    ]);
  });

  it('puts the retraction of an included record first and says the analysis must be re-run', () => {
    const digest = composeDigest({
      ...base,
      newRecords: [],
      retractions: [
        { id: 'ris:a', canonicalId: 'ris:a', title: 'Not included', included: false },
        { id: 'pubmed:9', canonicalId: 'pubmed:9', title: 'Included trial', included: true },
      ],
    });
    expect(digest?.retractions.map((retraction) => retraction.id)).toEqual(['pubmed:9', 'ris:a']);
    const text = renderDigest(digest as NonNullable<typeof digest>);
    expect(text).toContain('Retraction of an included record');
    expect(text).toContain('pubmed:9: Included trial — the analysis must be re-run');
  });

  it('reports a registry status change and newly posted results', () => {
    const digest = composeDigest({
      ...base,
      newRecords: [],
      registryChanges: [
        {
          id: 'ctgov:NCT01234567',
          canonicalId: 'ctgov:NCT01234567',
          title: 'Peer groups trial',
          from: { status: 'RECRUITING', hasResults: false },
          to: { status: 'COMPLETED', hasResults: true },
        },
      ],
    });
    expect(renderDigest(digest as NonNullable<typeof digest>)).toContain(
      '- ctgov:NCT01234567: Peer groups trial (status RECRUITING → COMPLETED, results posted)',
    );
  });
});

describe('sourceLink', () => {
  it('links a registration to ClinicalTrials.gov and a RIS record to its DOI', () => {
    expect(sourceLink(bibRecord({ id: 'ctgov:NCT01234567', source: 'ctgov', nctIds: ['NCT01234567'] }))).toBe(
      'https://clinicaltrials.gov/study/NCT01234567',
    );
    expect(sourceLink(bibRecord({ id: 'ris:1', source: 'ris', doi: '10.5555/x' }))).toBe(
      'https://doi.org/10.5555/x',
    );
  });
});

describe('renderDigest with hostile text from a source', () => {
  const render = (records: Parameters<typeof composeDigest>[0]['newRecords']) => {
    const digest = composeDigest({ ...base, newRecords: records });
    return renderDigest(digest as NonNullable<typeof digest>);
  };
  /** The list items of the digest's "new records" section: one per record, whatever the titles hold. */
  const items = (markdown: string) => markdown.split('\n').filter((line) => line.startsWith('- '));

  it('keeps a DOI that closes the link and opens another inside one percent-encoded link', () => {
    const doi = '10.1234/x)[click](https://evil.example';
    const markdown = render([
      bibRecord({ id: 'ris:1', source: 'ris', pmid: undefined, doi, title: 'Trial' }),
    ]);
    expect(items(markdown)).toEqual([
      '- [Trial](https://doi.org/10.1234/x%29%5Bclick%5D%28https%3A//evil.example) (ris:1): returned by the ris search',
    ]);
  });

  it('links nothing for the DOI of the report, which has spaces and so is no DOI', () => {
    const doi = '10.1/x) [click](https://evil';
    const markdown = render([
      bibRecord({ id: 'ris:1', source: 'ris', pmid: undefined, doi, title: 'Trial' }),
    ]);
    expect(items(markdown)).toEqual(['- Trial (ris:1): returned by the ris search']);
  });

  it('links nothing for a DOI, PMID or NCT id that does not have its shape', () => {
    const markdown = render([
      bibRecord({ id: 'ris:2', source: 'ris', pmid: '1)](https://evil.example', doi: '10.1/<x>\n# heading' }),
      bibRecord({ id: 'ctgov:x', source: 'ctgov', pmid: undefined, nctIds: ['NCT1)(evil'] }),
    ]);
    expect(markdown).not.toContain('](');
    expect(items(markdown)).toHaveLength(2);
  });

  it('escapes a title so it stays one line of text: no link, image, heading, list, HTML or autolink', () => {
    const title =
      '1. ![img](https://evil.example/x.png) [click](https://evil.example) <script>x</script>\n# Injected\n- item www.evil.example';
    const markdown = render([bibRecord({ id: 'pubmed:7', pmid: '7', title })]);
    const lines = items(markdown);
    expect(lines).toHaveLength(1);
    expect(markdown).not.toMatch(/^#+ Injected/m);
    const [line] = lines;
    expect(line).toContain(
      '[1\\. \\!\\[img\\]\\(https\\://evil.example/x.png\\) \\[click\\]\\(https\\://evil.example\\) \\<script\\>x\\</script\\> \\# Injected - item www\\.evil.example](https://pubmed.ncbi.nlm.nih.gov/7/)',
    );
  });

  it('escapes a title without a link, a registry title and status, and a retraction title alike', () => {
    const digest = composeDigest({
      ...base,
      newRecords: [
        bibRecord({ id: 'ris:3', source: 'ris', pmid: undefined, doi: undefined, title: '- [a](b)' }),
      ],
      registryChanges: [
        {
          id: 'ctgov:NCT01234567',
          canonicalId: 'ctgov:NCT01234567',
          title: 'Trial\n## Heading',
          from: { status: 'RECRUITING', hasResults: false },
          to: { status: '[x](https://evil.example)', hasResults: false },
        },
      ],
      retractions: [{ id: 'ris:4', canonicalId: 'ris:4', title: '<img src=x>\r\n- item', included: true }],
    });
    const markdown = renderDigest(digest as NonNullable<typeof digest>);
    expect(markdown).toContain('- \\- \\[a\\]\\(b\\) (ris:3)');
    expect(markdown).toContain(
      '- ctgov:NCT01234567: Trial \\#\\# Heading (status RECRUITING → \\[x\\]\\(https\\://evil.example\\))',
    );
    expect(markdown).toContain('- ris:4: \\<img src=x\\> - item — the analysis must be re-run');
    expect(markdown).not.toContain('](');
  });
});
