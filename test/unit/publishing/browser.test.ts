import { describe, expect, it } from 'vitest';
import { launchChromium } from '#test/support/browser.ts';

describe('the page tests without a browser', () => {
  it('fail with a message saying Chromium is missing and how to install it', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      'Chromium is not installed at /nonexistent/chromium: the page tests need it (Debian: apt-get install chromium',
    );
  });
});
