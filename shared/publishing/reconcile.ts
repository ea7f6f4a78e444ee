/**
 * The page's counts must agree with each other before anyone reads them: the PRISMA total of included studies
 * equals the included list, every pooled study is on that list, and every included study is either pooled or says
 * why not. Pure; the publish use case refuses to publish a page that breaks any of these.
 */
import type { PageModel } from './model.ts';
import { studiesIncludedIn } from './prisma.ts';

export function reconciliationProblems(model: PageModel): string[] {
  const problems: string[] = [];
  const included = new Set(model.includedStudies.map((study) => study.label));
  const prismaTotal =
    model.prisma.baseline.studiesIncluded +
    model.prisma.updates.reduce((sum, update) => sum + studiesIncludedIn(update), 0);
  if (prismaTotal !== included.size)
    problems.push(`PRISMA counts ${prismaTotal} included studies but ${included.size} are listed`);
  for (const study of model.pooledStudies)
    if (!included.has(study)) problems.push(`${study} is pooled but not among the included studies`);
  const pooled = new Set(model.pooledStudies);
  for (const study of model.includedStudies)
    if (!pooled.has(study.label) && !study.notPooledReason)
      problems.push(`${study.label} is included, not pooled, and gives no reason`);
  return problems;
}

export class UnreconciledPageError extends Error {
  override name = 'UnreconciledPageError';
}

export function assertReconciled(model: PageModel): void {
  const problems = reconciliationProblems(model);
  if (problems.length > 0)
    throw new UnreconciledPageError(
      `the page was not published, its counts do not agree: ${problems.join('; ')}`,
    );
}
