/**
 * Headless Chromium for page tests: the Debian package, driven by playwright-core. A missing browser fails
 * the test with a message saying how to install it; it never turns into a silent skip.
 */
import { access, constants } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium is not installed at ${executablePath}: the page tests need it (Debian: apt-get install chromium; .ci/run installs it).`,
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
