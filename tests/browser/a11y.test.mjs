// Accessibility: axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules finds
// nothing on any page type of any edition, and every page type reflows into a
// 320 CSS px viewport (WCAG 1.4.10: 1280 px at 400% zoom) without scrolling
// sideways; wide tables scroll inside their own region instead.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './chromium.mjs';
import { EDITIONS, PAGE_TYPES, AXE_PATH, visit } from './pages.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const browser = await launch();
after(() => browser.close());

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')).join('\n');
}

async function violations(edition, t, width) {
  const page = await visit(browser, edition, t, { width, bypassCsp: true });
  await page.addScriptTag({ path: AXE_PATH });
  const found = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations;
  }, TAGS);
  await page.close();
  return found;
}

for (const edition of EDITIONS) {
  for (const t of PAGE_TYPES) {
    test(`axe: no WCAG 2.2 AA violations on ${edition} ${t.name}`, async () => {
      const found = await violations(edition, t, 1280);
      assert.equal(found.length, 0, `${edition}/${t.path}:\n${describe(found)}`);
    });
  }
}

// The narrow layout differs (action tables become cards, the sidebar drops
// below the text), so check it too, in the edition with the most content.
for (const t of PAGE_TYPES) {
  test(`axe: no WCAG 2.2 AA violations on partnership ${t.name} at 320 px`, async () => {
    const found = await violations('partnership', t, 320);
    assert.equal(found.length, 0, `partnership/${t.path} at 320 px:\n${describe(found)}`);
  });
}

for (const edition of EDITIONS) {
  test(`reflow: ${edition} pages fit 320 CSS px without horizontal scrolling`, async () => {
    for (const t of PAGE_TYPES) {
      const page = await visit(browser, edition, t, { width: 320, height: 640 });
      const { scrollWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        // The elements sticking out, to make a failure easy to fix.
        wide: Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > 320.5 && !e.closest('.table-wrap'))
          .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
      }));
      assert.ok(scrollWidth <= 320, `${edition}/${t.path}: scrollWidth ${scrollWidth} > 320; wide: ${wide.join(', ')}`);
      // Every wide table scrolls in a labelled region that a keyboard user can focus.
      const wraps = await page.$$eval('table', (tables) => tables.map((tb) => {
        const w = tb.closest('.table-wrap');
        return {
          wrapped: !!w,
          overflow: tb.scrollWidth > (w || tb.parentElement).clientWidth,
          focusable: !!w && w.tabIndex === 0,
          role: w && w.getAttribute('role'),
          label: w && (w.getAttribute('aria-label') || w.getAttribute('aria-labelledby')),
        };
      }));
      for (const [i, w] of wraps.entries()) {
        assert.ok(w.wrapped, `${edition}/${t.path}: table ${i} is not in a .table-wrap`);
        assert.ok(w.focusable && w.role === 'region' && w.label, `${edition}/${t.path}: table ${i} wrapper ${JSON.stringify(w)}`);
      }
      await page.close();
    }
  });
}

// WCAG 2.4.11 Focus Not Obscured: the top banner sticks on large screens, so
// tab forwards and backwards through long pages and check that no focused
// element ends up hidden underneath it. The skip link comes first.
for (const path of ['sections/threats/drugs.html', 'action-plan/index.html', 'print/index.html']) {
  test(`keyboard: focus is never hidden under the sticky banner on partnership ${path}`, async () => {
    const page = await visit(browser, 'partnership', { path }, { width: 1280, height: 720 });
    const where = () => page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      const b = document.querySelector('.marking-top').getBoundingClientRect();
      return { tag: `${e.tagName.toLowerCase()} ${e.textContent.trim().slice(0, 40)}`, top: r.top, bottom: r.bottom, banner: b.bottom, sticky: getComputedStyle(document.querySelector('.marking-top')).position === 'sticky' };
    });
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.className);
    assert.equal(first, 'skip-link', 'the skip link is the first thing to focus');
    const hidden = [];
    let steps = 0;
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < 250; i++, steps++) {
        if (key === 'Tab') await page.keyboard.press('Tab');
        else { await page.keyboard.down('Shift'); await page.keyboard.press('Tab'); await page.keyboard.up('Shift'); }
        const f = await where();
        if (f.sticky && f.bottom <= f.banner + 1 && f.top < f.banner) hidden.push(`${key}: ${f.tag} (${f.top}..${f.bottom}, banner ends ${f.banner})`);
        if (f.tag.startsWith('body')) break;
      }
    }
    await page.close();
    assert.ok(steps > 20, `only ${steps} focus steps`);
    assert.deepEqual(hidden, []);
  });
}
