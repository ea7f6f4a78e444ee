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
  /** PMIDs the registration cites (referencesModule), as strings. */
  pmids: string[];
}

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
  publicationTypes: string[];
  mesh: string[];
  retracted: boolean;
  registry?: RegistryInfo;
}
