import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderFeed } from '#shared/publishing/feed.ts';
import { pageModelFixture } from '#test/support/page-model.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => name === 'entry',
});

describe('Atom feed of versions', () => {
  it('is well-formed XML with one entry per version, newest first', () => {
    const model = pageModelFixture();
    const xml = renderFeed(model);
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.entry.map((entry: { updated: string }) => entry.updated)).toEqual(
      model.history.map((entry) => entry.time),
    );
    expect(feed.updated).toBe(model.history[0]?.time);
  });

  it('carries the required feed and entry elements', () => {
    const feed = parser.parse(renderFeed(pageModelFixture())).feed;
    expect(feed.id).toBe('urn:living-review:group-peer-support');
    expect(feed.author.name).toBe('living-review test team');
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^urn:living-review:group-peer-support:version:/);
      expect(entry.title).toBeTruthy();
    }
  });

  it('round-trips text with ampersands, quotes and "]]>" exactly', () => {
    const model = pageModelFixture();
    const feed = parser.parse(renderFeed(model)).feed;
    expect(feed.title).toBe(model.review.title);
    expect(feed.entry[0].content['#text']).toContain('Test trial E & "quoted" ]]> (2014) added to recovery');
  });

  it('uses absolute links and ids when the site address is known', () => {
    const feed = parser.parse(
      renderFeed({ ...pageModelFixture(), siteUrl: 'https://example.org/review' }),
    ).feed;
    expect(feed.id).toBe('https://example.org/review');
    expect(feed.link.map((link: { '@href': string }) => link['@href'])).toContain(
      'https://example.org/review/feed.xml',
    );
    expect(feed.entry[0].id).toBe('https://example.org/review#version-3');
  });
});
