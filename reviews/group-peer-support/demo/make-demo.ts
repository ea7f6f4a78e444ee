/**
 * Builds the demo's recorded responses: `npx tsx demo/make-demo.ts`. The files follow the shape of the real
 * recordings in test/fixtures (PubMed efetch/esearch XML, ClinicalTrials.gov API v2 JSON); their content is
 * written here. Every demonstration record says so in its title and abstract, and uses identifiers outside the
 * ranges real ones occupy (PMIDs from 90000001, NCT99000001 on), so no link points at a real, unrelated record.
 * The one record with real bibliographic data is the PubMed copy of an included trial's report (Rüsch 2014, as
 * shared/review/group-peer-support/data/included-reports.ris has it), the duplicate the demo must catch.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DEMO_NOTE = 'This is a demonstration record shipped with living-review; it describes no real study.';

interface DemoArticle {
  pmid: string;
  title: string;
  abstract: [label: string, text: string][];
  authors: [last: string, initials: string][];
  journal: string;
  isoAbbreviation: string;
  year: string;
  month: string;
  publicationTypes: [ui: string, name: string][];
  nctId?: string;
  retractedBy?: string;
}

const xmlText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function pubmedArticle(a: DemoArticle): string {
  const authors = a.authors
    .map(
      ([last, initials]) =>
        `\t\t\t\t\t<Author ValidYN="Y">\n\t\t\t\t\t\t<LastName>${xmlText(last)}</LastName>\n\t\t\t\t\t\t<Initials>${initials}</Initials>\n\t\t\t\t\t</Author>`,
    )
    .join('\n');
  const abstract = a.abstract
    .map(
      ([label, text]) =>
        `\t\t\t\t\t<AbstractText Label="${label}" NlmCategory="${label}">${xmlText(text)}</AbstractText>`,
    )
    .join('\n');
  const dataBank = a.nctId
    ? `\n\t\t\t\t<DataBankList CompleteYN="Y">\n\t\t\t\t\t<DataBank>\n\t\t\t\t\t\t<DataBankName>ClinicalTrials.gov</DataBankName>\n\t\t\t\t\t\t<AccessionNumberList>\n\t\t\t\t\t\t\t<AccessionNumber>${a.nctId}</AccessionNumber>\n\t\t\t\t\t\t</AccessionNumberList>\n\t\t\t\t\t</DataBank>\n\t\t\t\t</DataBankList>`
    : '';
  const types = a.publicationTypes
    .map(([ui, name]) => `\t\t\t\t\t<PublicationType UI="${ui}">${name}</PublicationType>`)
    .join('\n');
  const retraction = a.retractedBy
    ? `\n\t\t\t<CommentsCorrectionsList>\n\t\t\t\t<CommentsCorrections RefType="RetractionIn">\n\t\t\t\t\t<RefSource>${a.isoAbbreviation}. ${a.year}. Retraction notice (demonstration record).</RefSource>\n\t\t\t\t\t<PMID Version="1">${a.retractedBy}</PMID>\n\t\t\t\t</CommentsCorrections>\n\t\t\t</CommentsCorrectionsList>`
    : '';
  return `\t<PubmedArticle>
\t\t<MedlineCitation Status="PubMed-not-MEDLINE" Owner="NLM">
\t\t\t<PMID Version="1">${a.pmid}</PMID>
\t\t\t<Article PubModel="Print">
\t\t\t\t<Journal>
\t\t\t\t\t<JournalIssue CitedMedium="Internet">
\t\t\t\t\t\t<PubDate>
\t\t\t\t\t\t\t<Year>${a.year}</Year>
\t\t\t\t\t\t\t<Month>${a.month}</Month>
\t\t\t\t\t\t</PubDate>
\t\t\t\t\t</JournalIssue>
\t\t\t\t\t<Title>${xmlText(a.journal)}</Title>
\t\t\t\t\t<ISOAbbreviation>${xmlText(a.isoAbbreviation)}</ISOAbbreviation>
\t\t\t\t</Journal>
\t\t\t\t<ArticleTitle>${xmlText(a.title)}</ArticleTitle>
\t\t\t\t<Abstract>
${abstract}
\t\t\t\t</Abstract>
\t\t\t\t<AuthorList CompleteYN="Y">
${authors}
\t\t\t\t</AuthorList>
\t\t\t\t<Language>eng</Language>${dataBank}
\t\t\t\t<PublicationTypeList>
${types}
\t\t\t\t</PublicationTypeList>
\t\t\t</Article>${retraction}
\t\t</MedlineCitation>
\t\t<PubmedData>
\t\t\t<PublicationStatus>ppublish</PublicationStatus>
\t\t\t<ArticleIdList>
\t\t\t\t<ArticleId IdType="pubmed">${a.pmid}</ArticleId>
\t\t\t</ArticleIdList>
\t\t</PubmedData>
\t</PubmedArticle>`;
}

const RCT: [string, string] = ['D016449', 'Randomized Controlled Trial'];
const ARTICLE: [string, string] = ['D016428', 'Journal Article'];

const articles: DemoArticle[] = [
  {
    pmid: '90000001',
    title:
      "Efficacy of Coming Out Proud to reduce stigma's impact among people with mental illness: pilot randomised controlled trial.",
    abstract: [
      [
        'BACKGROUND',
        'Demonstration record: the PubMed copy of a report the 2021 review included (Rüsch et al. 2014), with a demonstration PMID. The living review must recognise it as a duplicate of the stored report, not queue it again.',
      ],
    ],
    authors: [
      ['Rüsch', 'N'],
      ['Abbruzzese', 'E'],
      ['Hagedorn', 'E'],
      ['Corrigan', 'PW'],
    ],
    journal: 'The British journal of psychiatry : the journal of mental science',
    isoAbbreviation: 'Br J Psychiatry',
    year: '2014',
    month: 'May',
    publicationTypes: [ARTICLE, RCT],
  },
  {
    pmid: '90000002',
    title:
      'Peer-led recovery groups for adults using community mental health services: a randomised controlled trial (demonstration record).',
    abstract: [
      [
        'BACKGROUND',
        `${DEMO_NOTE} Group peer support led by people with lived experience of mental health conditions.`,
      ],
      [
        'METHODS',
        'Adults were randomly allocated to twelve weekly peer-led recovery groups or treatment as usual.',
      ],
      [
        'RESULTS',
        'Personal recovery was measured with the Recovery Assessment Scale after the groups ended.',
      ],
      ['CONCLUSIONS', 'A demonstration of a new trial arriving in a poll; registered as NCT99000001.'],
    ],
    authors: [
      ['Demo', 'A'],
      ['Example', 'B'],
    ],
    journal: 'Demonstration journal of peer support',
    isoAbbreviation: 'Demo J Peer Support',
    year: '2026',
    month: 'Mar',
    publicationTypes: [ARTICLE, RCT],
    nctId: 'NCT99000001',
  },
  {
    pmid: '90000003',
    title:
      'Mutual support groups for people with bipolar disorder: a randomised trial (demonstration record).',
    abstract: [['BACKGROUND', `${DEMO_NOTE} It stands for a report that was later retracted.`]],
    authors: [['Sample', 'C']],
    journal: 'Demonstration journal of peer support',
    isoAbbreviation: 'Demo J Peer Support',
    year: '2025',
    month: 'Nov',
    publicationTypes: [ARTICLE, RCT, ['D016441', 'Retracted Publication']],
    retractedBy: '90000005',
  },
  {
    pmid: '90000004',
    title:
      'Online peer support groups for postnatal depression: a randomised controlled trial (demonstration record).',
    abstract: [
      [
        'BACKGROUND',
        `${DEMO_NOTE} Women with postnatal depression were randomised to online peer support groups or usual care.`,
      ],
    ],
    authors: [['Placeholder', 'D']],
    journal: 'Demonstration journal of peer support',
    isoAbbreviation: 'Demo J Peer Support',
    year: '2026',
    month: 'Jun',
    publicationTypes: [ARTICLE, RCT],
  },
];

const header =
  '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n';
writeFileSync(
  here('pubmed/efetch.xml'),
  `${header}<PubmedArticleSet>\n${articles.map(pubmedArticle).join('\n')}\n</PubmedArticleSet>\n`,
);
writeFileSync(
  here('pubmed/esearch.xml'),
  `<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n<eSearchResult><Count>${articles.length}</Count><RetMax>0</RetMax><RetStart>0</RetStart><QueryKey>1</QueryKey><WebEnv>MCID_demo_living_review</WebEnv><IdList></IdList><TranslationSet/><QueryTranslation>(demonstration)</QueryTranslation></eSearchResult>\n`,
);

interface DemoStudy {
  nctId: string;
  title: string;
  status: string;
  hasResults: boolean;
  start: string;
  completion: string;
  lastUpdate: string;
  enrollment: number;
  pmids: string[];
}

function study(s: DemoStudy) {
  return {
    protocolSection: {
      identificationModule: { nctId: s.nctId, briefTitle: s.title, officialTitle: s.title },
      statusModule: {
        overallStatus: s.status,
        startDateStruct: { date: s.start, type: 'ACTUAL' },
        completionDateStruct: { date: s.completion, type: s.status === 'COMPLETED' ? 'ACTUAL' : 'ESTIMATED' },
        lastUpdatePostDateStruct: { date: s.lastUpdate, type: 'ACTUAL' },
      },
      descriptionModule: { briefSummary: `${DEMO_NOTE} A randomised trial of group peer support.` },
      conditionsModule: { conditions: ['Mental Disorders'] },
      designModule: {
        studyType: 'INTERVENTIONAL',
        designInfo: {
          allocation: 'RANDOMIZED',
          interventionModel: 'PARALLEL',
          primaryPurpose: 'SUPPORTIVE_CARE',
        },
        enrollmentInfo: { count: s.enrollment, type: s.status === 'COMPLETED' ? 'ACTUAL' : 'ESTIMATED' },
      },
      armsInterventionsModule: {
        interventions: [{ type: 'BEHAVIORAL', name: 'Peer support group (demonstration)' }],
      },
      ...(s.pmids.length > 0
        ? {
            referencesModule: {
              references: s.pmids.map((pmid) => ({
                pmid,
                type: 'RESULT',
                citation: `Demonstration record PMID ${pmid}.`,
              })),
            },
          }
        : {}),
    },
    hasResults: s.hasResults,
  };
}

const linked: DemoStudy = {
  nctId: 'NCT99000001',
  title: 'Peer-Led Recovery Groups in Community Mental Health (demonstration record)',
  status: 'COMPLETED',
  hasResults: false,
  start: '2024-01-08',
  completion: '2025-06-30',
  lastUpdate: '2026-03-02',
  enrollment: 180,
  pmids: ['90000002'],
};
const watched = {
  nctId: 'NCT99000002',
  title: 'Peer Support Groups After a First Episode of Psychosis (demonstration record)',
  start: '2023-09-01',
  enrollment: 120,
  pmids: [],
};
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(
  here('ctgov/page-1.json'),
  json({
    totalCount: 2,
    studies: [
      study(linked),
      study({
        ...watched,
        status: 'COMPLETED',
        hasResults: true,
        completion: '2025-12-19',
        lastUpdate: '2026-04-14',
      }),
    ],
  }),
);
// How an earlier poll saw the second registration: still recruiting, no results. The demo stores it first.
writeFileSync(
  here('seed/registry-earlier-poll.json'),
  json(
    study({
      ...watched,
      status: 'RECRUITING',
      hasResults: false,
      completion: '2025-10-31',
      lastUpdate: '2025-02-03',
    }),
  ),
);
writeFileSync(
  here('cassette.json'),
  json({
    description:
      "The demo's recorded answers: any PubMed query gets demo/pubmed/efetch.xml, any ClinicalTrials.gov query gets demo/ctgov/page-1.json (one page). '*' matches any value.",
    interactions: [
      {
        request: {
          method: 'POST',
          path: '/entrez/eutils/esearch.fcgi',
          params: { db: 'pubmed', term: '*', usehistory: 'y', retmax: '0' },
        },
        responses: [{ status: 200, bodyFile: 'pubmed/esearch.xml' }],
      },
      {
        request: {
          method: 'POST',
          path: '/entrez/eutils/efetch.fcgi',
          params: {
            db: 'pubmed',
            WebEnv: 'MCID_demo_living_review',
            query_key: '1',
            retstart: '0',
            retmax: '*',
            retmode: 'xml',
          },
        },
        responses: [{ status: 200, bodyFile: 'pubmed/efetch.xml' }],
      },
      {
        request: {
          method: 'GET',
          path: '/api/v2/studies',
          params: { format: 'json', countTotal: 'true', pageSize: '*', 'query.intr': '*', 'query.term': '*' },
        },
        responses: [{ status: 200, bodyFile: 'ctgov/page-1.json' }],
      },
    ],
  }),
);
