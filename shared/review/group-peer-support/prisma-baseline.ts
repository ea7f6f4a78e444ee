import type { PrismaCycle } from '#shared/publishing/model.ts';

/**
 * PRISMA counts of Lyons, Cooper & Lloyd-Evans 2021, Results: "The database search was conducted on the 13th of
 * July 2019 and returned 7198 records. Supplementary searches identified a further 225 studies for screening.
 * Following duplicate removal, the titles and abstracts of 4277 records were screened for eligibility and 4179
 * records ... were excluded at this stage. The full texts of 98 articles were retrieved and eight studies, reported
 * by 11 articles, were included in the review ... A total of 87 studies were excluded at full text screen".
 * Duplicates removed = 7198 + 225 - 4277. The itemised full-text reasons are in the article's Additional file 3,
 * which the text does not reproduce, so none are listed.
 */
export const prismaBaseline: PrismaCycle = {
  label: 'Lyons et al. 2021 (published review)',
  searchedUntil: '2019-07-13',
  identified: [
    { source: 'Databases (MEDLINE, PsycINFO, Embase, CENTRAL)', n: 7198 },
    { source: 'Supplementary searches', n: 225 },
  ],
  duplicatesRemoved: 7198 + 225 - 4277,
  screened: 4277,
  excludedAtScreening: 4179,
  fullTextsAssessed: 98,
  excludedAtFullText: 87,
  fullTextExclusionReasons: [],
  studiesIncluded: 8,
  reportsIncluded: 11,
};
