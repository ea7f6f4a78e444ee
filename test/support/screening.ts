import type { Decision, DecisionValue, Stage } from '#shared/store/ports.ts';

let tick = 0;

/** A decision made "now" (each call one second later than the last), for pure screening tests. */
export function decision(
  recordId: string,
  reviewer: string,
  value: DecisionValue,
  options: { stage?: Stage; reason?: string; revision?: number } = {},
): Decision {
  tick += 1;
  return {
    recordId,
    stage: options.stage ?? 'title-abstract',
    reviewer,
    decision: value,
    ...(options.reason ? { reason: options.reason } : {}),
    decidedAt: new Date(Date.UTC(2026, 0, 5, 9, 0, tick)).toISOString(),
    revision: options.revision ?? 1,
  };
}
