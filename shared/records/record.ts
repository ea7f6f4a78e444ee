/**
 * The normalised bibliographic record every source produces and every later stage consumes.
 * Text fields are plain text: markup removed, entities decoded, nothing escaped (escaping is the page's job).
 */
/** Where a record was identified; "data" is an outcome-data source holding a study the review never assessed. */
export type SourceName = 'pubmed' | 'ctgov' | 'ris' | 'data';

export interface RegistryInfo {
  /** ClinicalTrials.gov overallStatus, e.g. "COMPLETED", "RECRUITING", "WITHDRAWN". */
  status: string;
  /** designInfo.allocation, e.g. "RANDOMIZED". */
  allocation?: string;
  enrollment?: number;
  startDate?: string;
  completionDate?: string;
  lastUpdatePosted?: string;
  hasResults: boolean;
  /**
   * PMIDs of the publications that report this trial: references typed RESULT or DERIVED (referencesModule), as
   * strings. Only these link a publication to the trial; a BACKGROUND reference, or one without a type, never does.
   */
  pmids: string[];
  /**
   * Every PMID the registration cites, with the reference's type as the registry gives it ("BACKGROUND", "RESULT",
   * "DERIVED"; absent when the reference has none). Absent on records stored before types were kept.
   */
  references?: RegistryReference[];
}

export interface RegistryReference {
  pmid: string;
  type?: string;
}

/** Reference types that say the publication reports the trial (ClinicalTrials.gov referencesModule). */
export const REPORTING_REFERENCE_TYPES: readonly string[] = ['RESULT', 'DERIVED'];

export interface BibRecord {
  source: SourceName;
  /** "pubmed:<pmid>", "ctgov:<NCT>", "ris:<hash>" or "data:<study id>". */
  id: string;
  pmid?: string;
  /** Lower case, without a resolver prefix. */
  doi?: string;
  pmcid?: string;
  nctIds: string[];
  title: string;
  abstract: string;
  /** "Rüsch N" style, or a collective name. */
  authors: string[];
  journal?: string;
  year?: number;
  /** As the source gives them; set only when it gives them (RIS VL, IS, SP-EP). */
  volume?: string;
  issue?: string;
  pages?: string;
  /**
   * Every DOI the source gives, normalised like `doi` (which is the first), when it gives more than one (a RIS
   * record with several DO lines). Absent otherwise.
   */
  dois?: string[];
  /**
   * The bibliographic database a RIS record was exported from (its DB line, or the database an Ovid link names),
   * e.g. "PsycINFO", "Embase", "Scopus", so PRISMA can count records per database. Absent when the file does not say.
   */
  database?: string;
  publicationTypes: string[];
  mesh: string[];
  retracted: boolean;
  registry?: RegistryInfo;
}

/**
 * What can be stored. Ids and identifiers become DynamoDB keys (2 KB partition, 1 KB sort key), so each has its
 * source's shape; a record becomes one item (400 KB at most, attributes and the copy's own fields included).
 * Titles, DOIs and other free text of any length are stored: the keys derived from them are bounded
 * (`boundedKeyValue` in shared/text/bounded-key.ts).
 */
export const PMID = /^\d{1,10}$/;
export const NCT_ID = /^NCT\d{8}$/;
const RECORD_ID = /^(?:pubmed:\d{1,10}|ctgov:NCT\d{8}|ris:[0-9a-f]{16}|data:[a-z0-9]+(?:-[a-z0-9]+){0,15})$/;
/** Room under DynamoDB's 400 KB item limit for the copy's other attributes and JSON escaping. */
export const MAX_RECORD_BYTES = 300_000;

/**
 * "pubmed:<PMID>", "ctgov:<NCT id>", "ris:<16 hex digits>" or "data:<study id slug>" (a study an outcome-data
 * source holds): anything else was never made by a parser.
 */
export function isRecordId(id: string): boolean {
  return RECORD_ID.test(id);
}

/** Why `record` cannot be stored, or undefined when it can. Checked by the parsers, before anything is written. */
export function unstorableBecause(record: BibRecord): string | undefined {
  if (!isRecordId(record.id)) return `its id ${JSON.stringify(record.id.slice(0, 40))} is not a record id`;
  if (record.pmid !== undefined && !PMID.test(record.pmid)) {
    return `its PMID ${JSON.stringify(record.pmid.slice(0, 40))} is not 1 to 10 digits`;
  }
  const badNct = record.nctIds.find((id) => !NCT_ID.test(id));
  if (badNct !== undefined) return `${JSON.stringify(badNct.slice(0, 40))} is not an NCT id`;
  const cited = [
    ...(record.registry?.pmids ?? []),
    ...(record.registry?.references ?? []).map((r) => r.pmid),
  ];
  const badCited = cited.find((pmid) => !PMID.test(pmid));
  if (badCited !== undefined) return `it cites ${JSON.stringify(badCited.slice(0, 40))}, which is not a PMID`;
  const bytes = Buffer.byteLength(JSON.stringify(record));
  if (bytes > MAX_RECORD_BYTES) {
    return `it is ${Math.ceil(bytes / 1000)} kB, more than one record can hold (${MAX_RECORD_BYTES / 1000} kB); an abstract or note this long is usually a broken export`;
  }
  return undefined;
}
