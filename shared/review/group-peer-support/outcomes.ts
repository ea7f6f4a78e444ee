import type { ExtractionConfig, OutcomeMap, ScopeRule } from '#shared/extraction/outcome-map.ts';
import { withBaselineCharacteristics } from './baseline.ts';

/**
 * Outcomes of Lyons, Cooper & Lloyd-Evans 2021 ("Outcomes" in Methods; Table 2 pools recovery, hope,
 * empowerment, global symptoms and depression; the text reports identity, quality of life, self-efficacy,
 * anxiety, psychosis and social support narratively). Recovery-type outcomes score higher when better,
 * symptom outcomes lower.
 */
const outcomes: OutcomeMap['outcomes'] = [
  { id: 'recovery', higherIsBetter: true },
  { id: 'hope', higherIsBetter: true },
  { id: 'empowerment', higherIsBetter: true },
  { id: 'self-efficacy', higherIsBetter: true },
  { id: 'self-esteem', higherIsBetter: true },
  { id: 'quality of life', higherIsBetter: true },
  { id: 'social support', higherIsBetter: true },
  { id: 'social functioning', higherIsBetter: true },
  { id: 'global symptoms', higherIsBetter: false },
  { id: 'depression', higherIsBetter: false },
  { id: 'anxiety', higherIsBetter: false },
  { id: 'psychosis', higherIsBetter: false },
];

/**
 * Metapsy peer-support outcome_subcategory values → review outcomes. Metapsy pools empowerment and
 * self-efficacy in one subcategory; the review analyses them apart, so the instrument decides.
 * Loneliness and general "Functioning" (GAF, Life Skills Profile) are not review outcomes and stay unmapped.
 */
const rules: OutcomeMap['rules'] = [
  { subcategory: 'Recovery - global', outcome: 'recovery' },
  { subcategory: 'Hope', outcome: 'hope' },
  { subcategory: 'Empowerment/Self-efficacy', instrument: /empowerment/i, outcome: 'empowerment' },
  { subcategory: 'Empowerment/Self-efficacy', outcome: 'self-efficacy' },
  { subcategory: 'Empowerment', outcome: 'empowerment' },
  { subcategory: 'Self-efficacy', outcome: 'self-efficacy' },
  { subcategory: 'Self-esteem', outcome: 'self-esteem' },
  { subcategory: 'QoL', outcome: 'quality of life' },
  { subcategory: 'Social support', outcome: 'social support' },
  { subcategory: 'Social functioning', outcome: 'social functioning' },
  { subcategory: 'Global severity', outcome: 'global symptoms' },
  { subcategory: 'Global symptoms', outcome: 'global symptoms' },
  { subcategory: 'Symptoms (transdiagnostic)', outcome: 'global symptoms' },
  { subcategory: 'Depression', outcome: 'depression' },
  // One Metapsy row names the instrument as its subcategory.
  { subcategory: 'CES-D', outcome: 'depression' },
  { subcategory: 'Anxiety', outcome: 'anxiety' },
  { subcategory: 'Psychosis', outcome: 'psychosis' },
];

export const groupPeerSupportOutcomeMap: OutcomeMap = { outcomes, rules, instrumentDirections: [] };

/** Methods, "Interventions": only group peer support; one-to-one and mixed group/individual programmes excluded. */
export const groupPeerSupportScope: ScopeRule = {
  formats: ['group'],
  description: 'the review pools group peer support only (one-to-one and mixed group/individual excluded)',
};

export const groupPeerSupportExtraction: ExtractionConfig = {
  outcomeMap: groupPeerSupportOutcomeMap,
  scope: groupPeerSupportScope,
  reconcileStudy: withBaselineCharacteristics,
};
