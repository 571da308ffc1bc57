// The live preview in Chromium: pages load with no CSP violation (the reload
// script is a file, the events are allowed by connect-src), an edit reloads
// the open page, a bad edit shows the overlay over the last good page, and
// the edition switcher leads to the same page in another edition.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { launch, open } from './chromium.mjs';

const URL = process.env.BRIEF_PREVIEW;   // http://127.0.0.1:PORT of `brief serve`
const FILE = process.env.BRIEF_EDIT;     // a section file of the served profile
const browser = await launch();
after(() => browser.close());

// reload.js marks the page once the event stream has said hello.
const connected = (page) => page.waitForSelector('html[data-brief-preview="connected"]', { timeout: 10000 });

test('edit, reload, overlay and edition switcher in a real browser', async () => {
  const original = readFileSync(FILE, 'utf8');
  const { page, problems, requests } = await open(browser, `${URL}/partnership/sections/threats/drugs.html`);
  assert.deepEqual(problems, [], 'no console errors or CSP violations');
  for (const r of requests) assert.ok(r.startsWith(URL), `requested ${r}`);
  assert.ok(await page.$('.brief-preview-bar'), 'preview bar shown');
  assert.ok(await page.$('.marking-banner'), 'the page keeps its marking');
  await connected(page);

  // An edit reloads the page by itself.
  let nav = page.waitForNavigation({ timeout: 15000 });
  appendFileSync(FILE, '\nBrowser edit ZQBROWSER.\n');
  await nav;
  assert.match(await page.content(), /ZQBROWSER/);
  await connected(page);

  // A bad edit: the last good page stays, with the errors over it.
  nav = page.waitForNavigation({ timeout: 15000 });
  writeFileSync(FILE, original.replace('classification: OFFICIAL', 'classification: official'));
  await nav;
  // A save can arrive as two changes (truncate, then write): the page may
  // reload once more, so wait for the overlay rather than read it at once.
  const overlay = await page.waitForFunction(
    () => document.querySelector('#brief-error-overlay')?.textContent, { timeout: 15000 },
  ).then((h) => h.jsonValue());
  assert.match(overlay, /content\/threats\/drugs\.md:3: error/);
  assert.match(await page.content(), /ZQBROWSER/, 'last good page still shown');
  await connected(page);

  nav = page.waitForNavigation({ timeout: 15000 });
  writeFileSync(FILE, original);
  await nav;
  assert.equal(await page.$('#brief-error-overlay'), null, 'overlay gone once mended');

  // The switcher: same page, another edition.
  await Promise.all([page.waitForNavigation(), page.click('.brief-preview-bar a[href^="/elected-members/"]')]);
  assert.equal(new globalThis.URL(page.url()).pathname, '/elected-members/sections/threats/drugs.html');
  // Each reload aborts the open event stream, and a save seen as two changes
  // can reload a page that is still loading: aborted requests are expected,
  // nothing else is.
  const others = problems.filter((p) => !/^failed: \S+ net::ERR_ABORTED$/.test(p));
  assert.deepEqual(others, [], 'still no console errors or CSP violations');
  await page.close();
});
