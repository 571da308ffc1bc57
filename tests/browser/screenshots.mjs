// Screenshots for a human to review the theme (not a test): the home page, a
// section, the action plan and the print view at phone and desktop widths.
//   BRIEF_HTTP=http://127.0.0.1:PORT node tests/browser/screenshots.mjs [out-dir]
// BRIEF_HTTP serves a built public/ folder (e.g. `python3 -m http.server -d public`).
// BRIEF_TILES=1400 also cuts each page into 1400 px tall tiles, easier to view.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './chromium.mjs';

const HTTP = process.env.BRIEF_HTTP;
const OUT = process.argv[2] || '/tmp/shots';
const EDITION = process.env.BRIEF_EDITION || 'partnership';
const TILE = Number(process.env.BRIEF_TILES || 0);
const SHOTS = [
  ['home', 'index.html'],
  ['section', 'sections/threats/drugs.html'],
  ['action-plan', 'action-plan/index.html'],
  ['print', 'print/index.html', 'print'],
];
if (!HTTP) throw new Error('set BRIEF_HTTP to the address serving the built editions');
mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  for (const width of [375, 1280]) {
    for (const [name, path, media] of SHOTS) {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      if (media) await page.emulateMediaType(media);
      await page.goto(`${HTTP}/${EDITION}/${path}`, { waitUntil: 'load' });
      const file = join(OUT, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
      if (TILE) {
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        for (let y = 0, i = 0; y < height && i < 12; y += TILE, i++) {
          await page.screenshot({ path: join(OUT, `${name}-${width}-${String(i).padStart(2, '0')}.png`),
            clip: { x: 0, y, width, height: Math.min(TILE, height - y) }, captureBeyondViewport: true });
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}
