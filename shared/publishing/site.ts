/**
 * Assembles every file of the published site from one PageModel. Pure: the same model gives
 * byte-identical files. Assets that pages reference carry a content hash in their name, so a browser
 * never pairs a new page with a stale cached stylesheet.
 */
import { downloadFiles, sha256Hex } from './downloads.ts';
import { renderFeed } from './feed.ts';
import type { PageModel } from './model.ts';
import { renderPage } from './page.ts';
import { STYLESHEET } from './style.ts';

export interface SiteFile {
  path: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Names like `style.1a2b3c4d.css`: the only files the publisher may remove when they go stale. */
export const HASHED_ASSET = /^[a-z0-9-]+\.[0-9a-f]{8}\.[a-z0-9]+$/;

const encode = (text: string) => new TextEncoder().encode(text);

export function hashedName(base: string, extension: string, bytes: Uint8Array): string {
  return `${base}.${sha256Hex(bytes).slice(0, 8)}.${extension}`;
}

export function buildSite(model: PageModel): SiteFile[] {
  const stylesheet = encode(STYLESHEET);
  const stylesheetPath = hashedName('style', 'css', stylesheet);
  const feedPath = 'feed.xml';
  const downloads = downloadFiles(model);
  const html = renderPage(model, { stylesheetPath, feedPath, downloads });
  const files: SiteFile[] = [
    { path: stylesheetPath, contentType: 'text/css; charset=utf-8', bytes: stylesheet },
    ...downloads.map((file) => ({ path: file.path, contentType: file.contentType, bytes: file.bytes })),
    { path: feedPath, contentType: 'application/atom+xml; charset=utf-8', bytes: encode(renderFeed(model)) },
    { path: 'index.html', contentType: 'text/html; charset=utf-8', bytes: encode(html) },
  ];
  return files;
}
