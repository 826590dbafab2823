#!/usr/bin/env node
/**
 * Render assets/icon.svg (and assets/icon-16.svg for 16 px) to assets/icon-<size>.png with headless
 * Chromium, and assets/icon-outline.svg to assets/icon-outline-32.png.
 * Sizes: 16/32/80 (ribbon), 64/128 (IconUrl, HighResolutionIconUrl), 25/32/48 at scales 1, 2 and 3 for the
 * mobile button (25, 50, 75, 32, 64, 96, 48, 96, 144), 192 (the Microsoft 365 app package's colour icon);
 * the package's outline icon is its own drawing: white on transparent, 32 px.
 * Run by hand when the SVG changes; the PNGs are committed (never rendered at build time).
 *
 * Chromium: found and launched by scripts/chromium.cjs (the same as the e2e suite's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144, 192];
const readSvg = (name) => fs.readFileSync(path.join(root, 'assets', name), 'utf8');
/** 16 px has its own pixel-grid drawing (icon-16.svg); every other size scales icon.svg. */
const sourceFor = (size) => (size === 16 ? readSvg('icon-16.svg') : readSvg('icon.svg'));
const renders = [
  ...sizes.map((size) => ({ size, svg: sourceFor(size), file: `icon-${size}.png` })),
  { size: 32, svg: readSvg('icon-outline.svg'), file: 'icon-outline-32.png' },
];

const { launchChromium } = createRequire(import.meta.url)('./chromium.cjs');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { size, svg, file: name } of renders) {
    await page.setViewportSize({ width: size, height: size });
    // The SVG is scaled by the browser's vector renderer at the target size (no bitmap downscaling).
    const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.waitForFunction('document.images[0] && document.images[0].complete');
    const file = path.join(root, 'assets', name);
    await page.screenshot({
      path: file,
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    console.log(`${path.relative(root, file)} (${fs.statSync(file).size} bytes)`);
  }
} finally {
  await browser.close();
}
