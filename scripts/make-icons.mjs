#!/usr/bin/env node
/**
 * Render assets/icon.svg (and assets/icon-16.svg for 16 px) to assets/icon-{16,32,64,80,128}.png with
 * headless Chromium.
 * Run by hand when the SVG changes; the PNGs are committed (never rendered at build time).
 *
 * Chromium: found and launched by scripts/chromium.cjs (the same as the e2e suite's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sizes = [16, 32, 64, 80, 128];
const readSvg = (name) => fs.readFileSync(path.join(root, 'assets', name), 'utf8');
/** 16 px has its own pixel-grid drawing (icon-16.svg); every other size scales icon.svg. */
const sourceFor = (size) => (size === 16 ? readSvg('icon-16.svg') : readSvg('icon.svg'));

const { launchChromium } = createRequire(import.meta.url)('./chromium.cjs');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const size of sizes) {
    await page.setViewportSize({ width: size, height: size });
    // The SVG is scaled by the browser's vector renderer at the target size (no bitmap downscaling).
    const dataUrl = `data:image/svg+xml;base64,${Buffer.from(sourceFor(size)).toString('base64')}`;
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">` +
        `<img src="${dataUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
    );
    await page.waitForFunction('document.images[0] && document.images[0].complete');
    const file = path.join(root, 'assets', `icon-${size}.png`);
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
