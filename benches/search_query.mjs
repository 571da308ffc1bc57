// Query time of the search page in headless Chromium, for the benchmark:
// opens an edition's search page from file:// and times each query from
// submit to rendered results (median and worst of several runs).
// Usage: node benches/search_query.mjs SITE_DIR/partnership
import { launch } from '../tests/browser/chromium.mjs';

const edition = process.argv[2];
const QUERIES = ['drugs', 'county lines', 'traffick*', 'traficking', '+fraud -cyber', 'title:section',
  'exploitation vulnerable children', 'harbour', 'the and of', 'area:northtown cuckooing'];
const browser = await launch();
const page = await browser.newPage();
const t0 = Date.now();
await page.goto(`file://${edition}/search/index.html`, { waitUntil: 'load' });
const loadMs = Date.now() - t0;
const rows = [];
for (const q of QUERIES) {
  const times = await page.evaluate(async (q) => {
    const input = document.getElementById('search-input');
    const form = document.getElementById('search-form');
    const out = [];
    for (let i = 0; i < 7; i++) {
      input.value = q + (i % 2 ? ' ' : '');
      const t = performance.now();
      form.requestSubmit();
      out.push(performance.now() - t);
    }
    return { times: out, results: document.querySelectorAll('#search-results li').length, status: document.getElementById('search-status').textContent };
  }, q);
  const sorted = [...times.times].sort((a, b) => a - b);
  rows.push({ query: q, first_ms: times.times[0].toFixed(1), median_ms: sorted[3].toFixed(1), worst_ms: sorted[6].toFixed(1), status: times.status });
}
console.log(`page load with index: ${loadMs} ms`);
console.table(rows);
await browser.close();
