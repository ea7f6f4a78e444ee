import { describe, expect, it } from 'vitest';
import { searchWarnings } from '#shared/sources/pubmed/client.ts';

describe('searchWarnings', () => {
  it('lists the phrases esearch could not find and its warnings', () => {
    const body =
      '<eSearchResult><Count>3</Count><ErrorList><PhraseNotFound>"peer supported"[tiab:~3]</PhraseNotFound></ErrorList><WarningList><OutputMessage>No items found.</OutputMessage></WarningList></eSearchResult>';
    expect(searchWarnings(body)).toBe(
      'PhraseNotFound: "peer supported"[tiab:~3]; OutputMessage: No items found.',
    );
  });

  it('is empty for a clean answer', () => {
    expect(searchWarnings('<eSearchResult><Count>3</Count></eSearchResult>')).toBe('');
  });
});
