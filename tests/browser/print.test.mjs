// Print: Chromium prints pages to PDF, and poppler's pdftotext reads each
// PDF page back with word positions. Every printed page must carry the
// marking (and its handling caveats) near its top edge and near its bottom
// edge. The print stylesheet must also hide navigation and write out link
// targets.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './chromium.mjs';
import { HTTP } from './pages.mjs';

const browser = await launch();
const dir = mkdtempSync(join(tmpdir(), 'brief-print-'));
after(async () => { await browser.close(); rmSync(dir, { recursive: true, force: true }); });

function poppler(tool, args) {
  try {
    return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error(`${tool} is missing: apt-get install poppler-utils (bash .ci/run does)`);
    throw e;
  }
}

/** Words of PDF page `n` with their boxes, and the page's height, from `pdftotext -bbox`. */
function words(pdf, n) {
  const html = poppler('pdftotext', ['-f', String(n), '-l', String(n), '-bbox', pdf, '-']);
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(html)[1]);
  const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
  const list = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ yMin: Number(m[2]), yMax: Number(m[4]), text: unescape(m[5]) }));
  return { height, list };
}

/** Print `path` of `edition` to PDF; returns the file, its page count and the marking the page shows. */
async function print(edition, path) {
  const page = await browser.newPage();
  await page.goto(`${HTTP}/${edition}/${path}`, { waitUntil: 'load' });
  const marking = await page.$eval('.marking-top .marking-text', (e) => e.textContent.trim());
  const caveats = await page.$$eval('.marking-top .caveat', (es) => es.map((e) => e.textContent.trim()));
  const file = join(dir, `${edition}-${path.replace(/\W+/g, '-')}.pdf`);
  await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true, printBackground: false });
  await page.close();
  const pages = Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [file]))[1]);
  return { file, pages, marking, caveats };
}

for (const [edition, path, minPages] of [
  ['partnership', 'print/index.html', 10],          // the whole profile: many pages
  ['elected-members', 'print/index.html', 10],
  ['partnership', 'action-plan/index.html', 2],
  ['bordering-forces', 'sections/threats/drugs.html', 1],
]) {
  test(`every printed page of ${edition}/${path} is marked at its top and bottom`, async () => {
    const { file, pages, marking, caveats } = await print(edition, path);
    assert.ok(pages >= minPages, `${pages} pages, expected at least ${minPages}`);
    const problems = [];
    for (let n = 1; n <= pages; n++) {
      const { height, list } = words(file, n);
      // The top and bottom 7.5% of the sheet (22 mm of A4's 297): the page
      // margins, where body text never goes, so a section's own OFFICIAL
      // tag cannot stand in for the page's marking.
      const top = list.filter((w) => w.yMax < height * 0.075).map((w) => w.text).join(' ');
      const bottom = list.filter((w) => w.yMin > height * 0.925).map((w) => w.text).join(' ');
      const all = list.map((w) => w.text).join(' ');
      const count = all.split(marking).length - 1;
      if (!top.includes(marking)) problems.push(`page ${n}: no ${marking} at the top (top reads "${top.slice(0, 120)}")`);
      if (!bottom.includes(marking)) problems.push(`page ${n}: no ${marking} at the bottom (bottom reads "${bottom.slice(0, 120)}")`);
      if (count < 2) problems.push(`page ${n}: ${marking} occurs ${count} times`);
      for (const c of caveats) {
        if (!top.includes(c) || !bottom.includes(c)) problems.push(`page ${n}: caveat ${c} missing at the top or bottom`);
      }
    }
    assert.deepEqual(problems, [], `${file} (${pages} pages)`);
  });
}

test('print hides navigation, shows link targets and keeps tables whole', async () => {
  const page = await browser.newPage();
  await page.emulateMediaType('print');
  await page.goto(`${HTTP}/partnership/sections/introduction.html`, { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => getComputedStyle(e).display !== 'none').length;
    const link = document.querySelector('.prose a[href$=".html"], .prose a[href*=".html#"]');
    const table = document.querySelector('.prose table');
    return {
      nav: shown('.skip-link, .site-nav, .breadcrumbs, .sidebar, .pager, .header-search, .footer-nav'),
      banners: shown('.marking-banner'),
      after: link && getComputedStyle(link, '::after').content,
      href: link && link.getAttribute('href'),
      tableBreak: table && getComputedStyle(table).breakInside,
    };
  });
  await page.close();
  assert.equal(r.nav, 0, 'navigation is hidden in print');
  assert.equal(r.banners, 2, 'both banners print');
  assert.ok(r.after && r.after.includes(r.href), `link target written out: ${r.after}`);
  assert.equal(r.tableBreak, 'avoid', 'tables are not split across pages');
});
