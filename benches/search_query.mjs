// Search in headless Chromium at benchmark scale: per query, the index bytes
// and files it loads, and its time cold and warm; plus the index's size on
// disk. The machine may be shared, so every time is the median of RUNS runs.
//
// Usage: node benches/search_query.mjs SITE_DIR/partnership [--http] [--runs N]
//
// For each query and run, a fresh page:
//   cold, from URL   open search/index.html?q=QUERY; navigation start to results drawn
//                    (loads and parses the root index.js, then the query's chunks)
//   cold, typed      on a search page already open (root loaded), submit the query:
//                    its term chunks and result display files load now
//   warm             the same query submitted again (everything cached), median of 5
// And, as a reader uses it, sessions: a search page opened once, then every
// query submitted in turn, each for the first time (the first session query
// is cold: nothing compiled, no chunk loaded), the order rotated each run.
// Bytes are those of the index files the first query loaded (the root included),
// as the page's BRIEF_SEARCH registry lists them, sized on disk.
import { launch } from '../tests/browser/chromium.mjs';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const args = process.argv.slice(2);
const edition = args.find((a) => !a.startsWith('--'));
const runs = Number(args[args.indexOf('--runs') + 1]) || (args.includes('--runs') ? 3 : 3);
const useHttp = args.includes('--http');
if (!edition) throw new Error('usage: node benches/search_query.mjs SITE_DIR/EDITION [--http] [--runs N]');
const searchDir = join(edition, 'search');

const QUERIES = ['drugs', 'county lines', 'traffick*', 'traficking', '+fraud -cyber', 'title:section',
  'exploitation vulnerable children', 'harbour', 'the and of', 'area:northtown cuckooing',
  ['harbour', '&threat=Drugs']];

// Index size on disk.
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]);
}
const files = walk(searchDir).filter((f) => f.endsWith('.js'));
const sizeOf = (name) => statSync(join(searchDir, name + '.js')).size;
const total = files.reduce((n, f) => n + statSync(f).size, 0);
const kinds = { root: 'index.js', 'term chunks': 't/', 'page display files': 'd/', filters: 'f.js' };
console.log(`index on disk: ${files.length} files, ${(total / 1e6).toFixed(2)} MB`);
for (const [label, prefix] of Object.entries(kinds)) {
  const some = files.filter((f) => f.slice(searchDir.length + 1).startsWith(prefix));
  const bytes = some.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`  ${label.padEnd(20)} ${String(some.length).padStart(6)} files ${(bytes / 1e3).toFixed(1).padStart(10)} kB` +
    (some.length > 1 ? `  (largest ${(Math.max(...some.map((f) => statSync(f).size)) / 1e3).toFixed(1)} kB)` : ''));
}

let base = `file://${edition}`, server = null;
if (useHttp) {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    try {
      const body = readFileSync(join(edition, path.includes('..') ? '/missing' : path));
      res.writeHead(200, { 'Content-Type': path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
}

const browser = await launch();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];
for (const entry of QUERIES) {
  const [q, params] = Array.isArray(entry) ? entry : [entry, ''];
  const fromUrl = [], typed = [], warm = [];
  let loaded = [], status = '';
  for (let run = 0; run < runs; run++) {
    // Cold, from the URL: root, chunks and display files all loaded for this query.
    let page = await browser.newPage();
    await page.goto(`${base}/search/index.html?q=${encodeURIComponent(q)}${params}`, { waitUntil: 'load' });
    const r = await page.evaluate(async () => {
      await window.BRIEF_SEARCH.pending;
      return { at: window.BRIEF_SEARCH.drawnAt, loaded: window.BRIEF_SEARCH.loaded.slice(),
        status: document.getElementById('search-status').textContent };
    });
    fromUrl.push(r.at);
    loaded = r.loaded;
    status = r.status;
    await page.close();
    // Cold, typed into a search page that has loaded only its root; then warm.
    page = await browser.newPage();
    await page.goto(`${base}/search/index.html${params ? '?' + params.slice(1) : ''}`, { waitUntil: 'load' });
    const times = await page.evaluate(async (q) => {
      await window.BRIEF_SEARCH.pending;
      const input = document.getElementById('search-input'), form = document.getElementById('search-form');
      const out = [];
      for (let i = 0; i < 6; i++) {
        input.value = q + (i % 2 ? ' ' : '');
        const t = performance.now();
        form.requestSubmit();
        await window.BRIEF_SEARCH.pending;
        out.push(window.BRIEF_SEARCH.drawnAt - t);
      }
      return out;
    }, q);
    typed.push(times[0]);
    warm.push(median(times.slice(1)));
    await page.close();
  }
  const bytes = loaded.reduce((n, name) => n + sizeOf(name), 0);
  const count = (p) => loaded.filter((n) => n.startsWith(p)).length;
  rows.push({
    query: q + (params ? ` (${params.slice(1)})` : ''),
    results: (/^(\d+) results?/.exec(status) || [0, status.slice(0, 20)])[1],
    'files t/d/f': `${count('t/')}/${count('d/')}/${count('f')}`,
    'kB loaded': (bytes / 1e3).toFixed(1),
    'cold from URL ms': median(fromUrl).toFixed(1),
    'cold typed ms': median(typed).toFixed(1),
    'warm ms': median(warm).toFixed(1),
  });
}
console.log(`${useHttp ? 'HTTP (node server on loopback)' : 'file://'}; medians of ${runs} runs; kB includes the root index.js`);
console.table(rows);
const col = (k) => rows.map((r) => Number(r[k]));
console.log(`median over queries: cold from URL ${median(col('cold from URL ms')).toFixed(1)} ms, ` +
  `cold typed ${median(col('cold typed ms')).toFixed(1)} ms, warm ${median(col('warm ms')).toFixed(1)} ms, ` +
  `loaded ${median(col('kB loaded')).toFixed(1)} kB (max ${Math.max(...col('kB loaded')).toFixed(1)} kB)`);

// Sessions: one page, each query in turn; the median over all their times,
// the first (cold) query of each session included.
const session = [], sessionFirst = [];
const plain = QUERIES.filter((q) => !Array.isArray(q));
for (let run = 0; run < runs; run++) {
  const order = plain.map((_, i) => plain[(i + run) % plain.length]);
  const page = await browser.newPage();
  await page.goto(`${base}/search/index.html`, { waitUntil: 'load' });
  const times = await page.evaluate(async (qs) => {
    await window.BRIEF_SEARCH.pending;
    const input = document.getElementById('search-input'), form = document.getElementById('search-form');
    const out = [];
    for (const q of qs) {
      input.value = q;
      const t = performance.now();
      form.requestSubmit();
      await window.BRIEF_SEARCH.pending;
      out.push(window.BRIEF_SEARCH.drawnAt - t);
    }
    return out;
  }, order);
  session.push(...times);
  sessionFirst.push(times[0]);
  await page.close();
}
console.log(`sessions of ${plain.length} queries on one open page, ${runs} runs: median ${median(session).toFixed(1)} ms ` +
  `(first query cold included), first query of a session ${median(sessionFirst).toFixed(1)} ms`);
await browser.close();
if (server) server.close();
