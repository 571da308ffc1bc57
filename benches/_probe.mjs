import { launch } from '../tests/browser/chromium.mjs';
const ed = process.argv[2], q = process.argv[3] || 'drugs';
const browser = await launch();
for (let run = 0; run < 3; run++) {
  const page = await browser.newPage();
  await page.goto(`file://${ed}/search/index.html`, { waitUntil: 'load' });
  const r = await page.evaluate(async (q) => {
    await window.BRIEF_SEARCH.pending;
    performance.clearResourceTimings();
    const input = document.getElementById('search-input'), form = document.getElementById('search-form');
    input.value = q;
    const log = [];
    const orig = document.head.appendChild.bind(document.head);
    document.head.appendChild = (n) => { if (n.src) { const a = performance.now(); n.addEventListener('load', () => log.push(n.src.split('/search/')[1] + ' ' + (a - t).toFixed(1) + '..' + (performance.now() - t).toFixed(1))); } return orig(n); };
    const t = performance.now();
    form.requestSubmit();
    await window.BRIEF_SEARCH.pending;
    const end = window.BRIEF_SEARCH.drawnAt;
    const res = performance.getEntriesByType('resource').map((e) => `${e.name.split('/search/')[1]} ${(e.startTime - t).toFixed(1)}..${(e.responseEnd - t).toFixed(1)} dur ${e.duration.toFixed(1)}`);
    return { total: end - t, res: log };
  }, q);
  console.log(r.total.toFixed(1), '\n ', r.res.join('\n  '));
  const nav = await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0]; return JSON.stringify({dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}); });
  console.log(' nav', nav);
  await page.close();
}
await browser.close();
