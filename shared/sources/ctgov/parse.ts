/**
 * ClinicalTrials.gov API v2 study JSON → normalised registry record. Works on full studies and on the reduced
 * ones a `fields=` search returns (missing modules simply leave fields empty).
 */
import { InputError, messageOf } from '#shared/errors.ts';
import {
  type BibRecord,
  PMID,
  REPORTING_REFERENCE_TYPES,
  type RegistryInfo,
  type RegistryReference,
  unstorableBecause,
} from '#shared/records/record.ts';
import { plainText } from '../plain-text.ts';

type Json = Record<string, unknown>;

const NCT_ID = /^NCT\d{8}$/;

export function parseCtgovStudy(study: unknown): BibRecord {
  const protocol = object(object(study).protocolSection);
  const identification = object(protocol.identificationModule);
  const nctId = string(identification.nctId)?.toUpperCase();
  if (nctId === undefined || !NCT_ID.test(nctId)) {
    throw new InputError(
      `ClinicalTrials.gov study has no valid protocolSection.identificationModule.nctId (got ${JSON.stringify(identification.nctId)})`,
    );
  }
  const status = object(protocol.statusModule);
  const design = object(protocol.designModule);
  const derived = object(object(study).derivedSection);
  const firstPosted = dateOf(status.studyFirstPostDateStruct);
  const startDate = dateOf(status.startDateStruct);
  const year = yearOf(firstPosted ?? startDate);
  const references = citedReferences(object(protocol.referencesModule));
  const registry: RegistryInfo = {
    status: string(status.overallStatus) ?? 'UNKNOWN',
    ...defined('allocation', string(object(design.designInfo).allocation)),
    ...defined('enrollment', number(object(design.enrollmentInfo).count)),
    ...defined('startDate', startDate),
    ...defined('completionDate', dateOf(status.completionDateStruct)),
    ...defined('lastUpdatePosted', dateOf(status.lastUpdatePostDateStruct)),
    hasResults: object(study).hasResults === true,
    pmids: reportingPmids(references),
    references,
  };
  const record: BibRecord = {
    source: 'ctgov',
    id: `ctgov:${nctId}`,
    nctIds: [nctId],
    title: plainText(string(identification.officialTitle) ?? string(identification.briefTitle) ?? ''),
    abstract: plainText(string(object(protocol.descriptionModule).briefSummary) ?? ''),
    authors: [],
    ...defined('year', year),
    publicationTypes: [],
    mesh: meshTerms(derived),
    retracted: false,
    registry,
  };
  const problem = unstorableBecause(record);
  if (problem !== undefined)
    throw new InputError(`ClinicalTrials.gov study ${nctId} cannot be stored: ${problem}`);
  return record;
}

/** Accepts a single study object or a search page `{ studies: [...] }`. */
export function parseCtgovJson(text: string): BibRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`malformed ClinicalTrials.gov JSON: ${messageOf(error)}`);
  }
  const page = object(parsed);
  if (Array.isArray(page.studies)) {
    return page.studies.map((study, index) => {
      try {
        return parseCtgovStudy(study);
      } catch (error) {
        throw new InputError(`studies[${index}]: ${messageOf(error)}`);
      }
    });
  }
  if ('protocolSection' in page) return [parseCtgovStudy(page)];
  throw new InputError(
    'not ClinicalTrials.gov JSON: expected a study (protocolSection) or a page with studies[]',
  );
}

/** Every reference with a PMID, once per PMID and type, in the registration's order; types upper-cased. */
function citedReferences(module: Json): RegistryReference[] {
  const seen = new Set<string>();
  const references: RegistryReference[] = [];
  for (const entry of array(module.references)) {
    const pmid = string(object(entry).pmid)?.trim();
    if (pmid === undefined || !PMID.test(pmid)) continue;
    const type = string(object(entry).type)?.trim().toUpperCase();
    const key = `${pmid}#${type ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    references.push(type === undefined ? { pmid } : { pmid, type });
  }
  return references;
}

/** PMIDs of the references that report the trial (RESULT, DERIVED); untyped and BACKGROUND ones do not. */
function reportingPmids(references: readonly RegistryReference[]): string[] {
  const reporting = references.filter(
    (reference) => reference.type !== undefined && REPORTING_REFERENCE_TYPES.includes(reference.type),
  );
  return [...new Set(reporting.map((reference) => reference.pmid))];
}

function meshTerms(derived: Json): string[] {
  const terms = new Set<string>();
  for (const module of [derived.conditionBrowseModule, derived.interventionBrowseModule]) {
    for (const mesh of array(object(module).meshes)) {
      const term = string(object(mesh).term);
      if (term) terms.add(term);
    }
  }
  return [...terms];
}

function dateOf(struct: unknown): string | undefined {
  return string(object(struct).date);
}

function yearOf(date: string | undefined): number | undefined {
  const year = date === undefined ? undefined : /^(\d{4})/.exec(date)?.[1];
  return year === undefined ? undefined : Number(year);
}

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
