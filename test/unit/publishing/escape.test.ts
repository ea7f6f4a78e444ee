import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml } from '#shared/publishing/escape.ts';
import { buildSite } from '#shared/publishing/site.ts';
import { HOSTILE_STUDY, pageModelFixture } from '#test/support/page-model.ts';

function indexHtml(): string {
  const file = buildSite(pageModelFixture()).find((candidate) => candidate.path === 'index.html');
  if (!file) throw new Error('no index.html built');
  return new TextDecoder().decode(file.bytes);
}

describe('escaping', () => {
  it('turns markup in a study name into inert text', () => {
    expect(escapeHtml(HOSTILE_STUDY)).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes ampersands, both quote kinds and the CDATA terminator', () => {
    expect(escapeXml(`Smith & "Jones" 'n' ]]>`)).toBe('Smith &amp; &quot;Jones&quot; &#39;n&#39; ]]&gt;');
  });

  it('drops control characters that XML 1.0 forbids and keeps tabs and newlines', () => {
    expect(escapeXml('a\u0000b\u0008c\td\ne')).toBe('abc\td\ne');
  });

  it('never lets a study name from the model reach the page as markup', () => {
    const html = indexHtml();
    expect(html).not.toContain(HOSTILE_STUDY);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes titles with ampersands and quotes in the page and the plots', () => {
    const html = indexHtml();
    expect(html).toContain('Test trial E &amp; &quot;quoted&quot; ]]&gt; (2014)');
    expect(html).not.toContain('"quoted"');
  });
});
