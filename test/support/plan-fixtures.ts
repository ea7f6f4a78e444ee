import type { ArmOutcomeRow, ControlType, Study, TimepointClass } from '#shared/extraction/model.ts';

/**
 * The group peer support review's characteristics for a plan-test study unless a test says otherwise: a structured
 * self-management group for people with severe mental health conditions.
 */
const DEFAULT_CODED: Record<string, string | null> = {
  interventionCategory: 'peer support group: self-management',
  structured: 'yes',
  severeMentalHealthConditions: 'yes',
};

type CharacteristicsOverride = Partial<Omit<Study['characteristics'], 'coded'>> & {
  /** Coded characteristics to change; the others keep their defaults. */
  coded?: Record<string, string | null>;
};

/** A study for plan tests: group format, in scope, with the characteristics a test names. */
export function study(
  label: string,
  characteristics: CharacteristicsOverride = {},
  rob1Overall: Study['riskOfBias']['rob1Overall'] = null,
): Study {
  const { coded, ...others } = characteristics;
  return {
    id: label.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    label,
    authors: [],
    year: null,
    characteristics: {
      coded: { ...DEFAULT_CODED, ...coded },
      comparators: ['tau'],
      country: null,
      nRandomised: null,
      format: 'group',
      ...others,
    },
    inScope: true,
    scopeReason: 'group format',
    riskOfBias: { rob1: null, rob1Overall, rob2: null },
    provenance: { source: 'test', document: 'plan-fixtures.ts' },
  };
}

interface ArmSpec {
  arm: string;
  role: 'intervention' | 'control';
  controlType?: ControlType;
  mean: number;
  sd: number;
  n: number;
}

/** One row per arm of one study's result, as the extraction import stores them. */
export function result(
  of: Study,
  outcome: string,
  arms: ArmSpec[],
  options: { instrument?: string; timepoint?: TimepointClass; weeks?: number; higherIsBetter?: boolean } = {},
): ArmOutcomeRow[] {
  const instrument = options.instrument ?? 'Scale A';
  const timepoint = options.timepoint ?? 'post';
  return arms.map((arm) => ({
    id: `${of.id}|${outcome}|${timepoint}|${options.weeks ?? 0}|${instrument}|${arm.arm}`,
    studyId: of.id,
    outcome,
    sourceOutcome: outcome,
    instrument,
    timepoint,
    time: timepoint,
    weeks: options.weeks ?? null,
    higherIsBetter: options.higherIsBetter ?? true,
    rob2: null,
    provenance: { source: 'test', document: 'plan-fixtures.ts' },
    status: 'usable',
    arm: arm.arm,
    role: arm.role,
    controlType: arm.role === 'control' ? (arm.controlType ?? 'tau') : null,
    mean: arm.mean,
    sd: arm.sd,
    n: arm.n,
  }));
}

/** A two-arm result: peer support vs treatment as usual. */
export function twoArm(
  of: Study,
  outcome: string,
  [m1, sd1, n1]: [number, number, number],
  [m2, sd2, n2]: [number, number, number],
  options: Parameters<typeof result>[3] = {},
): ArmOutcomeRow[] {
  return result(
    of,
    outcome,
    [
      { arm: 'Peer support', role: 'intervention', mean: m1, sd: sd1, n: n1 },
      { arm: 'TAU', role: 'control', controlType: 'tau', mean: m2, sd: sd2, n: n2 },
    ],
    options,
  );
}
