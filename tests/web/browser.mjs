// Headless Chromium for the tests: Debian's /usr/bin/chromium driven by playwright-core
// (never a browser download), with a fresh profile and no background network.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.AGGLO_CHROMIUM ?? '/usr/bin/chromium';

export async function launch(repo) {
  const require = createRequire(join(repo, 'web', 'package.json'));
  const { chromium } = require('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'agglo-chromium-'));
  // launchPersistentContext gives the fresh --user-data-dir; the flags keep the browser
  // from reaching anything but the page under test.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 850 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  return context;
}

export function haveBrowser(repo) {
  if (!existsSync(CHROMIUM)) return `no ${CHROMIUM} (scripts/setup.sh installs Debian's chromium)`;
  if (!existsSync(join(repo, 'web', 'node_modules', 'playwright-core'))) return 'no web/node_modules/playwright-core (scripts/web.sh runs npm ci)';
  if (!existsSync(join(repo, 'web', 'dist', 'index.html'))) return 'the dashboard is not built (scripts/web.sh)';
  return '';
}
