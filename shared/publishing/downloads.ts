/**
 * The downloadable files: the analysis JSON and the extracted data, under stable names so links and
 * scripts keep working; the page lists each with its size and SHA-256 so readers can check what they got.
 */
import { createHash } from 'node:crypto';
import type { PageModel } from './model.ts';

export interface DownloadFile {
  path: string;
  label: string;
  contentType: string;
  bytes: Uint8Array;
  sha256: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function download(path: string, label: string, contentType: string, text: string): DownloadFile {
  const bytes = new TextEncoder().encode(text);
  return { path, label, contentType, bytes, sha256: sha256Hex(bytes) };
}

export function downloadFiles(model: PageModel): DownloadFile[] {
  return [
    download('analysis.json', 'Analysis results (JSON)', 'application/json', model.downloads.analysisJson),
    download('data.csv', 'Extracted outcome data (CSV)', 'text/csv', model.downloads.dataCsv),
  ];
}
