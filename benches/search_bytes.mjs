// Bytes a first search query fetches, measured the same way for Brief and for
// Pagefind: the site is served over HTTP (python3 -m http.server, no
// compression), headless Chromium opens a page, runs one query, waits for the
// network to go quiet and sums performance.getEntriesByType('resource') of the
// page and of its Web Workers (Pagefind fetches its index from a worker).
// encodedBodySize is counted: the body bytes as sent, headers left out.
//
//   node benches/search_bytes.mjs brief    http://127.0.0.1:PORT/partnership/ [QUERY]
//   node benches/search_bytes.mjs pagefind http://127.0.0.1:PORT/ [QUERY]
//
// brief: opens SITE/search/index.html, types QUERY into the search form and
//   submits it; counts every script and data file fetched from navigation to
//   the quiet network after the results (the page's HTML, CSS and images are
//   listed but not counted).
// pagefind: opens the site's home page, imports /pagefind/pagefind.js, runs
//   pagefind.search(QUERY) and loads the data of the first 5 results (what
//   Pagefind's default UI shows first); counts every file under /pagefind/.
//   Also times that first query (including Pagefind's loading) and then each of
//   a few other queries once, each with its first 5 results.
// Prints the files, then one line `RESULT {json}` for benches/bench.sh.
import { launch } from '../tests/browser/chromium.mjs';

const [mode, base, query = 'drugs'] = process.argv.slice(2);
if (!['brief', 'pagefind'].includes(mode) || !base) {
  console.error('usage: node benches/search_bytes.mjs brief|pagefind BASE_URL [QUERY]');
  process.exit(2);
}
const site = base.endsWith('/') ? base : `${base}/`;
const OTHER_QUERIES = ['county lines', 'trafficking', 'exploitation vulnerable children', 'harbour',
  'fraud', 'cuckooing', 'firearms', 'laundering cash', 'night economy'];
const NOT_COUNTED = /\.(html?|css|png|jpe?g|gif|webp|svg|ico|woff2?)(\?|$)/i;

const entries = () => performance.getEntriesByType('resource').map((e) => ({
  url: e.name, bytes: e.encodedBodySize, transfer: e.transferSize, decoded: e.decodedBodySize,
}));

// Resource entries of the page and of its workers (Pagefind fetches its index
// from a Web Worker, whose entries are not in the page's timeline).
async function allEntries(page) {
  const out = await page.evaluate(entries);
  for (const w of page.workers()) {
    try {
      out.push(...(await w.evaluate(entries)).map((e) => ({ ...e, worker: true })));
    } catch { /* a worker that has gone */ }
  }
  return out;
}

const browser = await launch();
let result;
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  if (mode === 'brief') {
    await page.goto(`${site}search/index.html`, { waitUntil: 'load' });
    await page.waitForNetworkIdle({ idleTime: 300, timeout: 120000 });
    const atLoad = new Set((await allEntries(page)).map((e) => e.url));
    const t0 = Date.now();
    await page.evaluate((q) => {
      const input = document.getElementById('search-input');
      const form = document.getElementById('search-form');
      if (!input || !form) throw new Error('no #search-input / #search-form on the search page');
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      form.requestSubmit();
    }, query);
    await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0
      || /\d/.test(document.getElementById('search-status')?.textContent || ''), { timeout: 120000 });
    await page.waitForNetworkIdle({ idleTime: 500, timeout: 120000 });
    const queryMs = Date.now() - t0;
    const all = await allEntries(page);
    const doc = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.encodedBodySize ?? 0);
    const files = all.map((e) => ({ ...e, phase: atLoad.has(e.url) ? 'page load' : 'query', counted: !NOT_COUNTED.test(new URL(e.url).pathname) }));
    const status = await page.evaluate(() => document.getElementById('search-status')?.textContent?.trim() ?? '');
    result = { mode, query, files, page_html: doc, status, wall_ms_submit_to_quiet: queryMs };
  } else {
    await page.goto(site, { waitUntil: 'load' });
    const first = await page.evaluate(async (q) => {
      const t0 = performance.now();
      const pagefind = await import('/pagefind/pagefind.js');
      window.benchPagefind = pagefind;
      const search = await pagefind.search(q);
      await Promise.all(search.results.slice(0, 5).map((x) => x.data()));
      return { cold: performance.now() - t0, results: search.results.length };
    }, query);
    await page.waitForNetworkIdle({ idleTime: 300, timeout: 120000 });
    const all = await allEntries(page);
    const times = await page.evaluate(async (others) => {
      const out = [];
      for (const o of others) {
        const t = performance.now();
        const s = await window.benchPagefind.search(o);
        await Promise.all(s.results.slice(0, 5).map((x) => x.data()));
        out.push(performance.now() - t);
      }
      return out;
    }, OTHER_QUERIES);
    const r = { ...first, times };
    const files = all.map((e) => ({ ...e, phase: 'query', counted: new URL(e.url).pathname.startsWith('/pagefind/') }));
    const sorted = [...r.times].sort((a, b) => a - b);
    result = { mode, query, files, results: r.results, cold_ms: r.cold,
      median_ms: sorted[Math.floor(sorted.length / 2)], other_queries: r.times.length };
  }
  result.problems = problems;
} finally {
  await browser.close();
}

const counted = result.files.filter((f) => f.counted);
result.counted_bytes = counted.reduce((s, f) => s + f.bytes, 0);
result.counted_files = counted.length;
result.by_kind = {};
for (const f of counted) {
  const p = new URL(f.url).pathname;
  const kind = mode === 'pagefind'
    ? (p.match(/\/(index|fragment|filter)\//)?.[1] ?? p.split('.').pop().replace(/^pf_/, '') ?? 'other')
    : (p.split('/').slice(-2).join('/'));
  const k = result.by_kind[kind] ?? (result.by_kind[kind] = { files: 0, bytes: 0 });
  k.files += 1;
  k.bytes += f.bytes;
}
console.log(`${mode}: first query "${query}": ${result.counted_bytes} bytes in ${result.counted_files} files`);
for (const f of result.files) {
  console.log(`  ${f.counted ? ' ' : '-'} ${String(f.bytes).padStart(10)}  ${f.phase.padEnd(9)}  ${new URL(f.url).pathname}`);
}
if (result.problems.length) console.log(`  problems: ${result.problems.join('; ')}`);
delete result.files;
console.log(`RESULT ${JSON.stringify(result)}`);
