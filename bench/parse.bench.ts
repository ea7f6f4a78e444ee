/**
 * PubMed efetch parsing: a 10,000-record file assembled from the real fixtures (distinct PMIDs), parsed batch by
 * batch from disk, side by side with Biopython's Entrez.read on the same file. A second pass collects garbage after
 * every batch and compares the heap retained with 1,000 and with 10,000 records: it should not grow.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parsePubmedStream } from '#shared/sources/pubmed/parse.ts';
import { writeEfetchSet } from '#test/support/efetch-set.ts';

const FIXTURES = ['pubmed5.xml', 'pubmed6.xml', 'pubmed-29768149.xml', 'efetch.pubmedbook.xml'];
const BATCH = 500;

interface Measure {
  records: number;
  seconds: number;
  /** Heap still in use right after each batch, after a full collection (empty when gc is unavailable). */
  retainedMb: number[];
}

/** A handle on V8's collector, so retained memory can be told apart from garbage not yet collected. */
function collector(): (() => void) | undefined {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : undefined;
}

async function parseFile(path: string, gc?: () => void): Promise<Measure> {
  const started = performance.now();
  let records = 0;
  const retained: number[] = [];
  for await (const batch of parsePubmedStream(createReadStream(path, { highWaterMark: 256 * 1024 }), BATCH)) {
    records += batch.records.length;
    if (gc) {
      gc();
      retained.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  }
  return { records, seconds: (performance.now() - started) / 1000, retainedMb: retained };
}

function retainedSummary(measure: Measure): string {
  const mb = measure.retainedMb;
  return `first ${mb[0]?.toFixed(0)} MB, last ${mb.at(-1)?.toFixed(0)} MB, max ${Math.max(...mb).toFixed(0)} MB`;
}

/** Biopython's Entrez.read on the same file: a printable line, and its seconds when it ran. */
function biopython(path: string): { text: string; seconds?: number } {
  const python = ['/usr/bin/python3', 'python3'].find(
    (candidate) => candidate === 'python3' || existsSync(candidate),
  );
  const script = [
    'import sys, time, resource',
    'try:',
    '    from Bio import Entrez',
    'except ImportError:',
    '    print("MISSING"); sys.exit(0)',
    't = time.perf_counter()',
    'result = Entrez.read(open(sys.argv[1], "rb"))',
    'n = len(result["PubmedArticle"]) + len(result["PubmedBookArticle"])',
    'print(n, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)',
  ].join('\n');
  const run = spawnSync(python ?? 'python3', ['-c', script, path], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    return { text: `Biopython: could not run (${run.error?.message ?? run.stderr.trim()})` };
  }
  const out = run.stdout.trim();
  if (out === 'MISSING') return { text: 'Biopython: missing (install the Debian package python3-biopython)' };
  const [records = 0, seconds = 0, rssMb = 0] = out.split(' ').map(Number);
  return { text: line('Biopython Entrez.read', records, seconds, statSync(path).size, rssMb), seconds };
}

function line(label: string, records: number, seconds: number, bytes: number, memoryMb: number): string {
  const perSecond = Math.round(records / seconds);
  const mbPerSecond = (bytes / 2 ** 20 / seconds).toFixed(1);
  return `${label.padEnd(30)} ${records} records in ${seconds.toFixed(2)} s: ${perSecond} records/s, ${mbPerSecond} MB/s, peak ${memoryMb.toFixed(0)} MB`;
}

export default async function (): Promise<void> {
  const articles = FIXTURES.map((file) =>
    readFileSync(fileURLToPath(new URL(`../test/fixtures/pubmed/${file}`, import.meta.url)), 'utf8'),
  );
  const dir = mkdtempSync(join(tmpdir(), 'living-review-bench-'));
  try {
    const smallFile = join(dir, 'efetch-1000.xml');
    const big = join(dir, 'efetch-10000.xml');
    writeEfetchSet(smallFile, articles, 1_000);
    writeEfetchSet(big, articles, 10_000);
    const bytes = statSync(big).size;
    console.log(`file: 10,000 records, ${(bytes / 2 ** 20).toFixed(1)} MB; batches of ${BATCH}`);
    const timed = await parseFile(big);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      line('living-review (batches)', timed.records, timed.seconds, bytes, rssMb),
      '(process max RSS)',
    );
    const gc = collector();
    const [small, large] = [await parseFile(smallFile, gc), await parseFile(big, gc)];
    console.log(
      gc
        ? `heap retained after each batch: ${retainedSummary(small)} (1,000 records); ${retainedSummary(large)} (10,000)`
        : 'heap retained: not measured (gc not available)',
    );
    const reference = biopython(big);
    console.log(reference.text);
    // The machine may be shared: time ours again after Biopython and compare with the mean of the two runs.
    const again = await parseFile(big);
    console.log(
      line(
        'living-review (again)',
        again.records,
        again.seconds,
        bytes,
        process.resourceUsage().maxRSS / 1024,
      ),
    );
    if (reference.seconds !== undefined) {
      const ours = (timed.seconds + again.seconds) / 2;
      console.log(
        `throughput: ${(reference.seconds / ours).toFixed(1)}x Biopython's on the same file (mean of our two runs)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
