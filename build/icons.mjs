// @ts-check
/**
 * Draws the app's icons: `node build/icons.mjs` writes public/icons/ (the SVG and PNGs rendered from
 * it by Chromium). The PNGs are committed; run this again only when the logo changes.
 *
 * The logo is a small graph (three nodes, three edges) in the app's accent colour. The maskable
 * variant fills the whole square and keeps the graph inside the central safe circle (radius 40%).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { chromiumArgs, chromiumPath } from '../chromium.config.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../public/icons');
/** --accent in src/ui/common/app.css (light theme). */
const ACCENT = '#1f5fbf';

/** @param {{ maskable: boolean }} o */
function logo({ maskable }) {
  const background = maskable
    ? `<rect width="512" height="512" fill="${ACCENT}"/>`
    : `<rect width="512" height="512" rx="112" fill="${ACCENT}"/>`;
  // Centred on (256, 256); 0.8 of the size keeps the maskable drawing within the safe circle.
  const scale = maskable ? 0.8 : 1;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  ${background}
  <g transform="translate(256 256) scale(${scale}) translate(-256 -256)">
    <path d="M256 150 L162 344 M256 150 L350 344 M162 344 H350" stroke="#fff" stroke-width="28" stroke-linecap="round" fill="none"/>
    <circle cx="256" cy="150" r="50" fill="#fff"/>
    <circle cx="162" cy="344" r="50" fill="#fff"/>
    <circle cx="350" cy="344" r="50" fill="#fff"/>
  </g>
</svg>
`;
}

const icons = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
];

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'icon.svg'), logo({ maskable: false }));
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const page = await browser.newPage();
  for (const { file, size, maskable } of icons) {
    const src = `data:image/svg+xml;base64,${Buffer.from(logo({ maskable })).toString('base64')}`;
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<body style="margin:0"><img src="${src}" width="${size}" height="${size}"></body>`);
    await page.locator('img').evaluate((img) => /** @type {HTMLImageElement} */ (img).decode());
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: size, height: size }, omitBackground: true });
    writeFileSync(join(OUT, file), png);
    console.log(`wrote public/icons/${file}`);
  }
} finally {
  await browser.close();
}
