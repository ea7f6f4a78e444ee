/**
 * The reanalysis use case: run the review's plan over what is stored, keep a new analysis version when the inputs
 * changed, record what changed against the previous version, and tell the team when a conclusion moved.
 * Safe to run twice or at once: the same inputs give the same hash and no new version; two writers racing for a
 * version number settle through the store's conditional put.
 */
import type { Notifier } from '#shared/alerts/notifier.ts';
import { type RunSession, sendAlertOnce } from '#shared/records/ingest.ts';
import { outcomeOrder, type ReviewConfig } from '#shared/review/config.ts';
import type { AlertLog, AnalysisStore, Clock, IngestJournal } from '#shared/store/ports.ts';
import { type Evidence, type EvidenceStore, loadEvidence } from '#shared/studies/load.ts';
import { poolingScope, whyNotPooled } from '#shared/studies/pooling.ts';
import { contentHash } from '#shared/text/content-hash.ts';
import { type AnalysisChange, diffAnalyses } from './material-change.ts';
import { type AnalysisEntry, type PlanResult, runPlan } from './run-plan.ts';

export interface AnalysisBody {
  analyses: AnalysisEntry[];
  /** Against the previous version; empty for the first. */
  changes: AnalysisChange[];
  /** Why the reanalysis ran: "import", "schedule", "screening decision"... */
  reason: string;
}

export interface ReanalysePorts {
  store: EvidenceStore & AnalysisStore & AlertLog & IngestJournal;
  clock: Clock;
  /** Where a material change is announced; without one, changes are only recorded. */
  notifier?: Notifier;
  session?: RunSession;
}

export interface ReanalyseResult {
  version: number;
  hash: string;
  /** False when the inputs were unchanged and the latest version stands. */
  created: boolean;
  changes: AnalysisChange[];
  material: AnalysisChange[];
  alerted: boolean;
}

const MAX_ATTEMPTS = 5;

/**
 * What an analysis version holds changes now and then (per-arm data, reasons a study is out of a pool): a version
 * stored in an older format is made again, so the page never shows a stored entry lacking what it now prints.
 */
const ANALYSIS_FORMAT = 2;

/**
 * The plan over the included studies only, with the published review's trials analysed again on their own, and
 * for every main analysis the included studies it leaves out and why.
 */
export function analyseEvidence(review: ReviewConfig, evidence: Evidence): PlanResult {
  const scope = poolingScope(evidence.units, evidence.studies, review.plan.retractedStudies);
  const published = evidence.units.filter((unit) => unit.baseline).flatMap((unit) => unit.dataStudyIds);
  const result = runPlan(review.plan, scope.studies, evidence.rows, {
    outcomeOrder: outcomeOrder(review),
    studyNotes: scope.flags,
    studySets: [
      {
        name: 'published-trials',
        description: `only the trials ${review.baseline.decision.by} included, with the data that exist`,
        studyIds: published,
      },
    ],
  });
  const included = evidence.units.filter((unit) => unit.status === 'included');
  // Each included study's rows, found once for every analysis that asks why the study is not in it.
  const rowsOf = new Map(
    included.map((unit) => [unit.id, evidence.rows.filter((row) => unit.dataStudyIds.includes(row.studyId))]),
  );
  for (const entry of result.analyses) {
    if (entry.analysis !== 'main') continue;
    const pooled = new Set(entry.studies.map((study) => study.studyId));
    entry.notPooled = included
      .filter((unit) => !unit.dataStudyIds.some((id) => pooled.has(id)))
      .map((unit) => ({
        study: unit.label,
        reason: whyNotPooled(unit, scope, rowsOf.get(unit.id) ?? [], entry.outcome, entry.timepoint),
      }));
  }
  const hash = contentHash({
    format: ANALYSIS_FORMAT,
    plan: result.hash,
    heldOut: scope.heldOut,
    notPooled: result.analyses.map((a) => a.notPooled ?? []),
  });
  return { hash, analyses: result.analyses };
}

export function changeAlertMarkdown(
  review: ReviewConfig,
  version: number,
  material: readonly AnalysisChange[],
): string {
  const lines = material.map((c) => `- ${c.outcome} (${c.timepoint}): ${c.description}`);
  return `# ${review.title}\n\nAnalysis version ${version} changed a conclusion:\n\n${lines.join('\n')}\n`;
}

/**
 * Tells the team about a version's material changes once: stored before it is sent (shared/records/ingest.ts,
 * sendAlertOnce), so a retry, a race or a run killed half-way neither repeats nor loses it.
 */
async function alertOnce(
  review: ReviewConfig,
  ports: ReanalysePorts,
  version: number,
  hash: string,
  material: readonly AnalysisChange[],
): Promise<boolean> {
  if (material.length === 0 || !ports.notifier) return false;
  const now = ports.clock.now().toISOString();
  return sendAlertOnce(
    `analysis#${hash}`,
    {
      date: now.slice(0, 10),
      subject: `${review.id}: analysis version ${version} changed a conclusion`,
      markdown: changeAlertMarkdown(review, version, material),
    },
    {
      store: ports.store,
      clock: ports.clock,
      notifier: ports.notifier,
      ...(ports.session ? { session: ports.session } : {}),
    },
  );
}

/** `evidence` is what the caller already read of the store (publishing reads it for the page too). */
export async function reanalyse(
  review: ReviewConfig,
  ports: ReanalysePorts,
  reason: string,
  evidence?: Evidence,
): Promise<ReanalyseResult> {
  const current = evidence ?? (await loadEvidence(review, ports.store, ports.clock));
  const { hash, analyses } = analyseEvidence(review, current);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const latest = await ports.store.latestAnalysisVersion();
    if (latest?.hash === hash) {
      // Unchanged inputs: no new version, but an alert that failed last time is sent now.
      const material = ((latest.body as AnalysisBody).changes ?? []).filter((change) => change.material);
      const alerted = await alertOnce(review, ports, latest.version, hash, material);
      return { version: latest.version, hash, created: false, changes: [], material: [], alerted };
    }
    const previous = (latest?.body as AnalysisBody | undefined)?.analyses ?? [];
    const changes = latest ? diffAnalyses(previous, analyses) : [];
    const version = (latest?.version ?? 0) + 1;
    const body: AnalysisBody = { analyses, changes, reason };
    const createdAt = ports.clock.now().toISOString();
    if (!(await ports.store.putAnalysisVersion({ version, hash, createdAt, body }))) continue;
    const material = changes.filter((change) => change.material);
    const alerted = await alertOnce(review, ports, version, hash, material);
    return { version, hash, created: true, changes, material, alerted };
  }
  throw new Error(
    `could not store a new analysis version after ${MAX_ATTEMPTS} attempts: other writers kept winning`,
  );
}
