// Search in a real browser: the search page of each edition over HTTP and
// file://, queries and filters, keyboard use, and a withheld token that must
// find nothing in an edition that may not see it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { launch, open } from './chromium.mjs';

const SITE = process.env.BRIEF_SITE;
const HTTP = process.env.BRIEF_HTTP;
const browser = await launch();
after(() => browser.close());

/** Run `q` (and filters) on an edition's search page; returns status text, results,
 * the total the status line gives and the index files loaded (paths under search/). */
async function search(base, edition, q, params = '') {
  const url = `${base}/${edition}/search/index.html?q=${encodeURIComponent(q)}${params}`;
  const { page, problems, requests } = await open(browser, url);
  await page.waitForFunction(() => document.getElementById('search-status').textContent.trim() !== '' &&
    !document.getElementById('search-results').hasAttribute('aria-busy'));
  const status = await page.$eval('#search-status', (e) => e.textContent.trim());
  const results = await page.$$eval('#search-results li', (lis) => lis.map((li) => ({
    title: li.querySelector('a')?.textContent.trim(),
    href: li.querySelector('a')?.getAttribute('href'),
    marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
    text: li.textContent,
  })));
  await page.close();
  assert.deepEqual(problems, [], url);
  const total = Number((/^(\d+) results?/.exec(status) || [0, 0])[1]);
  const prefix = `${base}/${edition}/search/`;
  const loaded = requests.filter((r) => r.startsWith(prefix) && r.endsWith('.js')).map((r) => r.slice(prefix.length));
  return { status, results, total, loaded };
}

for (const [scheme, base] of [['http', HTTP], ['file', `file://${SITE}`]]) {
  test(`queries find what they should (${scheme})`, async () => {
    let r = await search(base, 'partnership', 'traffick');
    assert.ok(r.results.some((x) => /trafficking/i.test(x.title)), JSON.stringify(r.results.map((x) => x.title)));
    r = await search(base, 'partnership', 'county line');
    assert.match(r.results[0].text, /county lines/i);
    assert.ok(r.results[0].marks.length > 0, 'matched terms highlighted');
    assert.match(r.results[0].text, /OFFICIAL/, 'result shows the page marking');
    assert.ok(r.results[0].href.startsWith('../sections/'), r.results[0].href);
    r = await search(base, 'partnership', 'traficking');
    assert.ok(r.results.length > 0, 'one-letter typo still finds');
    r = await search(base, 'partnership', 'the and of');
    assert.ok(r.results.length > 0, 'stop words alone do not empty results');
    r = await search(base, 'partnership', 'cross-border');
    assert.ok(r.results.length > 0, 'hyphenated words searchable');
    const all = await search(base, 'partnership', 'drugs');
    const narrowed = await search(base, 'partnership', 'drugs', '&threat=Firearms');
    assert.ok(narrowed.total > 0 && narrowed.total < all.total, `threat filter narrows: ${narrowed.total} of ${all.total}`);
    assert.equal(narrowed.results.length, Math.min(narrowed.total, 10));
    assert.ok(narrowed.loaded.includes('f.js') && !all.loaded.includes('f.js'), 'filters load f.js only when used');
    const excluded = await search(base, 'partnership', 'drugs -firearms');
    assert.ok(excluded.results.every((x) => !/^Firearms$/.test(x.title)));
    r = await search(base, 'partnership', 'title:fraud');
    assert.ok(/fraud/i.test(r.results[0].title), r.results[0].title);
  });

  test(`a query loads the root and only the chunks it needs (${scheme})`, async () => {
    const r = await search(base, 'partnership', 'county lines');
    const chunks = readdirSync(`${SITE}/partnership/search/t`).length;
    const pages = readdirSync(`${SITE}/partnership/search/d`).length;
    const t = r.loaded.filter((f) => f.startsWith('t/')), d = r.loaded.filter((f) => f.startsWith('d/'));
    assert.equal(r.loaded[0], 'index.js', JSON.stringify(r.loaded));
    assert.ok(t.length >= 1 && t.length <= 2, `one chunk per term: ${t} of ${chunks}`);
    // A display file holds a few pages: at most one per result shown.
    assert.ok(r.results.length > 0 && d.length >= 1 && d.length <= r.results.length, `display files only for the results shown: ${d}`);
    assert.ok(d.length < pages, `not every page's file: ${d.length} of ${pages}`);
    assert.equal(new Set(r.loaded).size, r.loaded.length, 'no file loaded twice');
    for (const f of r.loaded) assert.match(f, /^(index|f|[td]\/\d+)\.js$/, 'index file names are numbers');
  });

  test(`more results come ten at a time (${scheme})`, async () => {
    const { page, problems } = await open(browser, `${base}/partnership/search/index.html?q=the`);
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    const total = await page.$eval('#search-status', (e) => Number(/^(\d+)/.exec(e.textContent)[1]));
    assert.ok(total > 10, `enough results to page: ${total}`);
    assert.equal(await page.$$eval('#search-results li', (l) => l.length), 10);
    assert.equal(await page.$eval('#search-more', (b) => b.hidden), false);
    await page.click('#search-more');
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 10);
    assert.equal(await page.$$eval('#search-results li', (l) => l.length), Math.min(total, 20));
    const focused = await page.evaluate(() => {
      const links = Array.from(document.querySelectorAll('#search-results li a'));
      return links.indexOf(document.activeElement);
    });
    assert.equal(focused, 10, 'focus moves to the first new result');
    assert.equal(await page.$eval('#search-more', (b) => b.hidden), total <= 20);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test(`a withheld token finds nothing where it is withheld (${scheme})`, async () => {
    let r = await search(base, 'partnership', 'zqsearchleakqz');
    assert.equal(r.results.length, 1, 'the partnership sees it');
    for (const edition of ['elected-members', 'bordering-forces']) {
      r = await search(base, edition, 'zqsearchleakqz');
      assert.equal(r.results.length, 0, `${edition} must not find it`);
      assert.match(r.status, /No results/);
      r = await search(base, edition, 'zqsearchopenqz');
      assert.equal(r.results.length, 1, `${edition} finds the open text of the same section`);
    }
  });
}

test('keyboard only: type, submit, tab to the first result', async () => {
  const { page, problems } = await open(browser, `${HTTP}/partnership/search/index.html`);
  await page.focus('#search-input');
  await page.keyboard.type('county lines');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
  assert.match(page.url(), /[?&]q=county(\+|%20)lines/, 'the URL carries the query, so it can be shared');
  // Tab from the input past the filters and button to the results.
  let reached = false;
  for (let i = 0; i < 8 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('#search-results') !== null);
  }
  assert.ok(reached, 'results are reachable by keyboard');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the header search box on every page leads to results', async () => {
  const { page } = await open(browser, `${HTTP}/elected-members/sections/threats/drugs.html`);
  await page.type('#header-search-q', 'fraud');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
  assert.match(page.url(), /\/elected-members\/search\/index\.html\?q=fraud$/);
  await page.close();
});

test('without JavaScript the search page says search needs it', async () => {
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.goto(`${HTTP}/partnership/search/index.html`);
  const text = await page.evaluate(() => document.body.innerText);
  assert.match(text, /Search needs JavaScript/);
  await page.close();
});
