/**
 * The review is configuration: the domain and publishing code read a review through the ReviewConfig they are
 * given and import nothing from a review's folder, so a second review is a second file and no code changes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REVIEWS_DIR } from '#shared/review/load.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Everything but the adapters that choose a review (the CLI's --review, the Lambda's review id). */
const DOMAIN_AND_PUBLISHING = [
  'shared/alerts',
  'shared/analysis',
  'shared/extraction',
  'shared/publishing',
  'shared/records',
  'shared/review',
  'shared/screening',
  'shared/sources',
  'shared/store',
  'shared/studies',
  'shared/text',
  'shared/cycle.ts',
  'shared/seed.ts',
];

function sources(path: string): string[] {
  const absolute = join(ROOT, path);
  if (statSync(absolute).isFile()) return [absolute];
  return readdirSync(absolute).flatMap((name) => sources(join(path, name)));
}

const importsOf = (text: string) =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => match[1] as string);

const reviewIds = readdirSync(REVIEWS_DIR).filter((name) => statSync(join(REVIEWS_DIR, name)).isDirectory());

describe('no review in the code', () => {
  const files = DOMAIN_AND_PUBLISHING.flatMap(sources).filter((file) => file.endsWith('.ts'));

  it('scans the domain and publishing modules and knows the shipped reviews', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(reviewIds).toEqual(expect.arrayContaining(['group-peer-support', 'smit-2023']));
  });

  it("no domain or publishing module imports a review's folder", () => {
    const offenders = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter(
          (specifier) => /(^|\/)reviews\//.test(specifier) || reviewIds.some((id) => specifier.includes(id)),
        )
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no domain or publishing module names a shipped review, except the default the loader falls back to', () => {
    const offenders = files.flatMap((file) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      return lines.flatMap((line, i) =>
        reviewIds.some((id) => line.includes(`'${id}'`) || line.includes(`"${id}"`))
          ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`]
          : [],
      );
    });
    expect(offenders).toEqual([
      "shared/review/load.ts:20: export const DEFAULT_REVIEW_ID = 'group-peer-support';",
    ]);
  });
});
