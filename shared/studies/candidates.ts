/**
 * Outcome data for a study the review never assessed are kept, never pooled: the study enters the screening queue
 * as a candidate identified through that data source ("other methods" in PRISMA 2020), as one report whose id
 * names the study. Only a full-text inclusion of that report (or another report of the same study) lets the data
 * into a pool.
 */
import type { Notifier } from '#shared/alerts/notifier.ts';
import type { Study } from '#shared/extraction/model.ts';
import { ingest, type RunSession } from '#shared/records/ingest.ts';
import type { BibRecord } from '#shared/records/record.ts';
import type { Clock, Store } from '#shared/store/ports.ts';
import { DATA_RECORD_PREFIX, type StudyUnit } from './units.ts';

type CitedParts = Partial<Pick<BibRecord, 'authors' | 'title' | 'journal' | 'year'>>;

/** APA: "Boevink, W., Kroon, H., & van Os, J. (2016). Title. Journal, 8, 287-300." */
function apaCitation(citation: string): CitedParts | undefined {
  const match = citation.match(/^(.+?)\s*\((\d{4})[a-z]?\)\.\s*(.+?[.?!])\s+([^.,]+(?:\.[^.,]+)*?)[,.]/);
  if (!match) return undefined;
  const [, authorText = '', year, title = '', journal] = match;
  const authors = [...authorText.matchAll(/([^,&]+?),\s*((?:\p{Lu}\.\s*-?\s*)+)/gu)].map(
    ([, surname = '', initials = '']) => `${surname.trim()} ${initials.replace(/[.\s-]/g, '')}`,
  );
  return {
    authors,
    title: title.replace(/\s+/g, ' ').replace(/\.$/, ''),
    ...(journal ? { journal: journal.trim() } : {}),
    year: Number(year),
  };
}

/**
 * The psychiatric journals' style: "Craig T, Doherty I, et al: Title. Journal 13:59–69, 2004". The title runs to
 * the last sentence end before the journal, so a title with a full stop inside ("Team: I. clinical ...") is whole.
 */
function colonCitation(citation: string): CitedParts | undefined {
  const match = citation.match(/^([^:]+):\s*(.+[.?!])\s+(.+?)\s+\d+:[^,]*,\s*(\d{4})\.?$/);
  if (!match) return undefined;
  const [, authorText = '', title = '', journal = '', year] = match;
  const authors = authorText
    .split(',')
    .map((author) => author.trim())
    .filter((author) => author !== '' && author !== 'et al');
  return {
    authors,
    title: title.replace(/\.$/, ''),
    journal: journal.replace(/\s+/g, ' '),
    year: Number(year),
  };
}

/** The parts of a citation in either style; nothing when it has neither shape (the label then names the study). */
export function parseCitation(citation: string): CitedParts {
  return apaCitation(citation) ?? colonCitation(citation) ?? {};
}

export function dataCandidateRecord(study: Study, document: string, citation?: string): BibRecord {
  const cited = citation ? parseCitation(citation) : {};
  const scope = study.inScope ? '' : ` For the screeners, what the data say: ${study.scopeReason}.`;
  const source = `Outcome data for ${study.label} are held in ${document}; the review has not assessed this study yet.${scope}`;
  return {
    source: 'data',
    id: `${DATA_RECORD_PREFIX}${study.id}`,
    nctIds: [],
    title: cited.title ?? `${study.label} (study with outcome data in ${document})`,
    abstract: citation ? `${source} Citation: ${citation}` : source,
    authors: cited.authors?.length ? cited.authors : study.authors,
    ...(cited.journal ? { journal: cited.journal } : {}),
    ...((cited.year ?? study.year) ? { year: (cited.year ?? study.year) as number } : {}),
    publicationTypes: [],
    mesh: [],
    retracted: false,
  };
}

export interface CandidateOptions {
  document: string;
  cycle: string;
  dualFraction: number;
  /** Citations by study label, where the data source has them (Metapsy's references.json). */
  citations?: Readonly<Record<string, string>>;
  /** The review's keywords: with a notifier in the ports, the team is told of the candidates once, in a digest. */
  keywords?: readonly string[];
}

/**
 * Queues a candidate for every study in `studies` that is not yet a study of the review (no report, not in the
 * published review). Idempotent: a candidate already stored is not stored again.
 */
export async function queueDataCandidates(
  studies: readonly Study[],
  units: readonly StudyUnit[],
  ports: { store: Store; clock: Clock; notifier?: Notifier; session?: RunSession },
  options: CandidateOptions,
): Promise<string[]> {
  const known = new Set(
    units
      .filter((unit) => unit.baseline || unit.reports.length > 0)
      .flatMap((unit) => [unit.id, ...unit.dataStudyIds]),
  );
  const citationOf = (label: string) =>
    options.citations?.[label] ??
    Object.entries(options.citations ?? {}).find(([key]) => key.replace(',', '') === label)?.[1];
  const records = studies
    .filter((study) => !known.has(study.id))
    .map((study) => dataCandidateRecord(study, options.document, citationOf(study.label)));
  if (records.length === 0) return [];
  const result = await ingest(records, ports, {
    cycle: options.cycle,
    dualFraction: options.dualFraction,
    label: `candidates from ${options.document}`,
    ...(ports.notifier && options.keywords ? { alert: { keywords: options.keywords } } : {}),
  });
  return result.new.map((record) => record.id);
}
