// `agglo report`: the dashboard's views with the workspace inlined, opened offline from a
// file in headless Chromium. Every view is visited; every figure must be present and
// non-empty (an SVG with marks or a table with rows), no request may leave the file, and the
// file must name no machine path.
//
// usage: node run_report_tests.mjs AGGLO WORKSPACE OUTDIR REPO
// Exit 77 (ctest: skipped) with a message only when chromium or the web build is absent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, haveBrowser } from './browser.mjs';

const [AGGLO, WORKSPACE, OUT, REPO] = process.argv.slice(2);
const missing = haveBrowser(REPO);
if (missing) { console.log(`SKIP: ${missing}`); process.exit(77); }
mkdirSync(join(OUT, 'screenshots'), { recursive: true });
let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`); }
}

const report = join(OUT, 'report.html');
execFileSync(AGGLO, ['report', '--workspace', WORKSPACE, '-o', report], { stdio: 'inherit' });
const html = readFileSync(report, 'utf8');
console.log(`report.html: ${(statSync(report).size / 1e6).toFixed(2)} MB`);
check('report names no machine path', !html.includes(resolve(dirname(WORKSPACE))) && !html.includes(REPO), 'absolute path found');
check('report loads nothing from outside', !/<script[^>]+src=|<link[^>]+href="(?!data:)/.test(html));

const VIEWS = ['map', 'cluster', 'regions', 'space', 'points', 'hotspots', 'network', 'survey', 'simulate'];
const context = await launch(REPO);
const requests = [];
await context.route('**/*', (route) => {
  const u = route.request().url();
  if (u.startsWith('file:') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
  requests.push(u);
  return route.abort();
});
const page = await context.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
let figures = 0;
try {
  await page.goto(`${pathToFileURL(report).href}#view=map`);
  for (const v of VIEWS) {
    const before = await page.evaluate(() => document.body.dataset.ready ?? '');
    if (v !== 'map') await page.evaluate((id) => { location.hash = `view=${id}`; }, v);
    await page.waitForFunction(([b, id]) => document.body.dataset.view === id && (document.body.dataset.ready ?? '') !== b || (id === 'map' && document.body.dataset.view === 'map'), [before, v], { timeout: 60000 });
    const panels = await page.locator('#view [data-figure]').evaluateAll((els) => els.map((el) => {
      const svg = el.querySelector('svg');
      const marks = svg ? svg.querySelectorAll('path, circle, rect, line').length : 0;
      const rows = el.querySelectorAll('tbody tr').length;
      return { id: el.id, marks, rows, title: el.querySelector('h3')?.textContent ?? '' };
    }));
    const empty = await page.locator('#view .empty, #view .error').allTextContents();
    check(`${v}: figures present`, panels.length > 0 && empty.length === 0, { panels: panels.length, empty });
    for (const p of panels) check(`${v}: ${p.id} non-empty`, p.marks > 3 || p.rows > 0, p);
    figures += panels.length;
    await page.screenshot({ path: join(OUT, 'screenshots', `report-${v}.png`), fullPage: true });
  }
  const lever = await page.locator('#simulate-run').isDisabled();
  check('the lever says the report cannot run the model', lever && (await page.locator('#simulate-status').textContent()).includes('agglo serve'));
} catch (e) {
  check('report run', false, String(e?.stack ?? e));
} finally {
  await context.close();
}
console.log(`${figures} figures in ${VIEWS.length} views`);
check('no request left the file', requests.length === 0, requests.slice(0, 3));
check('no script errors', errors.length === 0, errors.slice(0, 3));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
