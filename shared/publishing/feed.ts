/**
 * Atom feed (RFC 4287) of the page's versions, newest first, for readers who subscribe.
 * Entry ids are stable per version so feed readers never show the same version twice.
 */
import { escapeXml } from './escape.ts';
import type { PageModel, VersionEntry } from './model.ts';

function feedId(model: PageModel): string {
  return model.siteUrl ? model.siteUrl : `urn:living-review:${encodeURIComponent(model.review.id)}`;
}

function entryId(model: PageModel, entry: VersionEntry): string {
  return `${feedId(model)}${model.siteUrl ? '#version-' : ':version:'}${encodeURIComponent(entry.version)}`;
}

function href(model: PageModel, path: string): string {
  return model.siteUrl
    ? new URL(path, model.siteUrl.endsWith('/') ? model.siteUrl : `${model.siteUrl}/`).href
    : path;
}

function entryTitle(entry: VersionEntry): string {
  const first = entry.changes[0] ?? 'No change in the evidence';
  return `Version ${entry.version}${entry.material ? ' (material change)' : ''}: ${first}`;
}

function entryText(entry: VersionEntry): string {
  const changes =
    entry.changes.length > 0 ? entry.changes.map((change) => `- ${change}`).join('\n') : '- No change';
  return `${changes}\nInputs hash: ${entry.hash}`;
}

export function renderFeed(model: PageModel): string {
  const updated = model.history[0]?.time ?? model.generatedAt;
  const entries = model.history.map((entry) =>
    [
      '  <entry>',
      `    <id>${escapeXml(entryId(model, entry))}</id>`,
      `    <title>${escapeXml(entryTitle(entry))}</title>`,
      `    <updated>${escapeXml(entry.time)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(href(model, 'index.html'))}#version-${escapeXml(encodeURIComponent(entry.version))}"/>`,
      `    <content type="text">${escapeXml(entryText(entry))}</content>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feedId(model))}</id>`,
    `  <title>${escapeXml(model.review.title)}</title>`,
    `  <subtitle>Versions of the living review: what changed and when.</subtitle>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <author><name>${escapeXml(model.review.maintainer)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(href(model, 'feed.xml'))}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(href(model, 'index.html'))}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
