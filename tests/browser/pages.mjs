// The page types every browser check visits, and the editions to visit them
// in. One list, so a new page type is checked for accessibility, reflow and
// print by adding it here.
import { fileURLToPath } from 'node:url';

export const SITE = process.env.BRIEF_SITE;   // folder holding the built editions
export const HTTP = process.env.BRIEF_HTTP;   // http://127.0.0.1:PORT serving SITE

export const EDITIONS = ['partnership', 'elected-members', 'bordering-forces'];

// name → path inside an edition. `ready` (optional) is a selector to wait for
// before checking: the search page fills its results from script.
export const PAGE_TYPES = [
  { name: 'home', path: 'index.html' },
  { name: 'section', path: 'sections/threats/drugs.html' },
  { name: 'section with a chart', path: 'sections/introduction.html' },
  { name: 'section with a map and a captioned picture', path: 'sections/places/overview.html' },
  { name: 'about', path: 'about/index.html' },
  { name: 'accessibility', path: 'accessibility/index.html' },
  { name: 'threats index', path: 'threats/index.html' },
  { name: 'threat page', path: 'threats/drugs/index.html' },
  { name: 'locations index', path: 'locations/index.html' },
  { name: 'location page', path: 'locations/northtown/index.html' },
  { name: 'action plan', path: 'action-plan/index.html' },
  { name: 'changes', path: 'changes/index.html' },
  { name: 'print', path: 'print/index.html' },
  { name: 'search', path: 'search/index.html' },
  { name: 'search with results', path: 'search/index.html?q=county+lines', ready: '#search-results li' },
];

export const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** Open an edition's page of type `t` at the given viewport width. */
export async function visit(browser, edition, t, { width = 1280, height = 900, bypassCsp = false } = {}) {
  const page = await browser.newPage();
  // axe is injected as a script tag, which the pages' CSP (rightly) refuses.
  if (bypassCsp) await page.setBypassCSP(true);
  await page.setViewport({ width, height });
  await page.goto(`${HTTP}/${edition}/${t.path}`, { waitUntil: 'load' });
  if (t.ready) await page.waitForSelector(t.ready, { timeout: 10000 });
  return page;
}
