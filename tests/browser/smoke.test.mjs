// Every page type of the example opens in Chromium over HTTP and file://
// with no console errors, no CSP violations and no request outside the edition.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open } from './chromium.mjs';

const SITE = process.env.BRIEF_SITE;          // folder holding the built editions
const HTTP = process.env.BRIEF_HTTP;          // http://127.0.0.1:PORT serving SITE
const PAGES = ['index.html', 'sections/threats/drugs.html', 'about/index.html', 'threats/index.html',
  'threats/drugs/index.html', 'locations/index.html', 'action-plan/index.html', 'print/index.html',
  'search/index.html', 'accessibility/index.html'];
const browser = await launch();
after(() => browser.close());

for (const base of [HTTP, `file://${SITE}`]) {
  test(`pages load cleanly over ${base.split(':')[0]}`, async () => {
    for (const edition of ['partnership', 'elected-members']) {
      for (const p of PAGES) {
        const root = `${base}/${edition}/`;
        const { page, problems, requests } = await open(browser, root + p);
        assert.deepEqual(problems, [], `${edition}/${p}`);
        for (const r of requests) assert.ok(r.startsWith(root), `${edition}/${p} requested ${r}`);
        const banners = await page.$$eval('.marking-banner', (els) => els.map((e) => e.textContent.trim()));
        assert.equal(banners.length, 2, `${edition}/${p}: two banners`);
        await page.close();
      }
    }
  });
}
