// What a person sees of Khmer text, not just what the DOM holds.
//
// - latinOnlyFontconfig(): a fontconfig file that shows Chromium a Latin base (DejaVu, Liberation) and nothing else,
//   so Khmer can only come from the web app's own fonts: the tests hold on a machine without a Khmer system font
//   even when this one has one (install-deps.sh installs fonts-khmeros for FFmpeg).
// - khmerGlyphProblems(page): Khmer that the page draws as boxes (tofu): by the fonts its layout really used, and by
//   drawing its Khmer letters on a canvas with each element's computed font (boxes all look the same).
// - khmerOverflows(page): Khmer text that sticks out of its box, and a page wider than the screen.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

// Debian's paths: fonts-dejavu-core comes with fontconfig itself; fonts-liberation(2) is often there too.
const LATIN_FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/truetype/liberation',
  '/usr/share/fonts/truetype/liberation2',
];

let fontconfigFile = null;

/** Path of a fontconfig file listing only a temp folder of DejaVu/Liberation fonts (made once per process). */
export function latinOnlyFontconfig() {
  if (fontconfigFile) return fontconfigFile;
  const dir = mkdtempSync(join(tmpdir(), 'clipjury-fonts-'));
  const fonts = join(dir, 'fonts');
  mkdirSync(fonts);
  let linked = 0;
  for (const from of LATIN_FONT_DIRS.filter(existsSync)) {
    for (const name of readdirSync(from).filter((n) => /^(DejaVu(Sans|Serif)|Liberation).*\.ttf$/.test(n))) {
      symlinkSync(join(from, name), join(fonts, name));
      linked++;
    }
  }
  if (linked === 0) throw new Error(`no DejaVu or Liberation fonts in ${LATIN_FONT_DIRS.join(', ')}: apt-get install fonts-dejavu-core`);
  const alias = (generic, ...families) =>
    `  <alias><family>${generic}</family><prefer>${families.map((f) => `<family>${f}</family>`).join('')}</prefer></alias>`;
  writeFileSync(join(dir, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${fonts}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
${alias('sans-serif', 'DejaVu Sans', 'Liberation Sans')}
${alias('system-ui', 'DejaVu Sans', 'Liberation Sans')}
${alias('serif', 'DejaVu Serif', 'Liberation Serif')}
${alias('monospace', 'DejaVu Sans Mono', 'Liberation Mono')}
  <match target="pattern">
    <test qual="all" name="family" compare="not_eq"><string>sans-serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>serif</string></test>
    <test qual="all" name="family" compare="not_eq"><string>monospace</string></test>
    <edit name="family" mode="append_last"><string>sans-serif</string></edit>
  </match>
</fontconfig>
`);
  fontconfigFile = join(dir, 'fonts.conf');
  return fontconfigFile;
}

/**
 * Khmer letters that do not draw as themselves: `[]` when every Khmer letter on the page has a shape of its own.
 * Two looks, as neither is enough alone:
 * - the fonts the page's layout really drew each element's text with (DevTools' "Rendered fonts"): a font without
 *   Khmer that drew more glyphs than the text has non-Khmer characters drew boxes. (Chromium once left a page's first
 *   Khmer text as boxes although its font had loaded; a canvas drawing with the same font looked fine.)
 * - the element's computed font on a canvas: each Khmer letter of the page (consonants and independent vowels of
 *   visible text, input values and placeholders) must draw something, unlike a character no font has (tofu), and
 *   unlike every other letter. This catches a Khmer font that is there but lacks the letters.
 */
export async function khmerGlyphProblems(page) {
  return [...(await renderedFontProblems(page)), ...(await canvasProblems(page))];
}

// One DevTools session per page, kept open: detaching one undid a test's emulated offline state (navigator.onLine
// came back, and with it a paused upload).
const sessions = new WeakMap();

async function renderedFontProblems(page) {
  const KHMER = /[\u1780-\u17FF\u19E0-\u19FF]/gu;
  if (!sessions.has(page)) sessions.set(page, await page.context().newCDPSession(page));
  const cdp = sessions.get(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const problems = [];
    const childrenOf = (node) => [...(node.children ?? []), ...(node.shadowRoots ?? [])];
    const textOf = (node) => (node.nodeType === 3 ? node.nodeValue : childrenOf(node).map(textOf).join(''));
    const visit = async (node) => {
      const kids = childrenOf(node);
      const text = kids.filter((k) => k.nodeType === 3).map((k) => k.nodeValue).join('');
      if (node.nodeType === 1 && text.match(KHMER)) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId });
        const other = fonts.filter((f) => !f.isCustomFont && !/khmer/i.test(f.familyName));
        const drawn = other.reduce((n, f) => n + f.glyphCount, 0);
        // The fonts cover the element's inline descendants too ("<p><span>Key:</span> …</p>"), and a list item's or
        // summary's marker ("• ", "12. ", "▸ ").
        const all = textOf(node);
        const latin = all.length - (all.match(KHMER)?.length ?? 0);
        const marker = ['li', 'summary'].includes(node.localName) ? 4 : 0;
        if (drawn > latin + marker) {
          const by = other.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ');
          problems.push(`<${node.localName}> "${text.trim().slice(0, 40)}" is drawn with ${by}, which has no Khmer`);
        }
      }
      for (const k of kids) await visit(k);
    };
    await visit(root);
    return problems;
  } finally {
    await cdp.send('CSS.disable');
    await cdp.send('DOM.disable');
  }
}

function canvasProblems(page) {
  return page.evaluate(async () => {
    const LETTERS = /[\u1780-\u17B3]/gu; // consonants and independent vowels: each has a shape of its own
    const NO_GLYPH = '\u0378'; // unassigned: every font draws its missing-glyph box for it
    const byFont = new Map();
    const note = (el, text) => {
      const letters = text.match(LETTERS);
      if (!letters || !el.checkVisibility({ visibilityProperty: true })) return;
      const s = getComputedStyle(el);
      const font = `${s.fontStyle} ${s.fontWeight} 40px ${s.fontFamily}`;
      const entry = byFont.get(font) ?? { letters: new Set(), sample: `<${el.localName}> ${text.trim().slice(0, 40)}` };
      for (const l of letters) entry.letters.add(l);
      byFont.set(font, entry);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.parentElement) note(n.parentElement, n.data);
    for (const el of document.querySelectorAll('input, textarea')) note(el, `${el.value ?? ''} ${el.placeholder ?? ''}`);
    if (byFont.size === 0) return [];

    await document.fonts.ready;
    const canvas = document.createElement('canvas');
    canvas.width = 80;
    canvas.height = 80;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const shape = (ch) => {
      ctx.clearRect(0, 0, 80, 80);
      ctx.fillText(ch, 10, 52);
      const data = ctx.getImageData(0, 0, 80, 80).data;
      let hash = 2166136261;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) {
        hash = Math.imul(hash ^ data[i], 16777619) >>> 0;
        ink += data[i];
      }
      return ink === 0 ? 'blank' : hash.toString(16);
    };
    const problems = [];
    for (const [font, { letters, sample }] of byFont) {
      await document.fonts.load(font, [...letters].join(''));
      ctx.font = font;
      if (!ctx.font.endsWith(font.slice(font.indexOf('40px')).replace(/^40px /, ''))) {
        // a font the canvas did not take would test the default font instead
        problems.push(`the canvas refused the font "${font}" (it kept "${ctx.font}")`);
        continue;
      }
      const tofu = shape(NO_GLYPH);
      const seen = new Map();
      const bad = [];
      for (const letter of letters) {
        const s = shape(letter);
        if (s === 'blank') bad.push(`${letter} draws nothing`);
        else if (s === tofu) bad.push(`${letter} draws as a missing-glyph box`);
        else if (seen.has(s)) bad.push(`${letter} draws the same as ${seen.get(s)}`);
        else seen.set(s, letter);
      }
      if (bad.length) problems.push(`${font} (e.g. ${sample}): ${bad.slice(0, 6).join(', ')}${bad.length > 6 ? ', …' : ''}`);
    }
    return problems;
  });
}

/**
 * Fails when a Khmer letter on the page does not draw as itself (see khmerGlyphProblems) once its fonts have settled.
 * A page that opens in Khmer draws its first text with the fallback until the web font arrives (`font-display: swap`,
 * a person sees it for a moment on a slow link): the check waits for every font load the page started, and two
 * frames for the swap to reach the layout, and looks again for up to 5 s before it fails (new Khmer text may start
 * a load of its own). Boxes that stay are what a person would keep seeing.
 */
export async function assertKhmerGlyphs(page, name) {
  const deadline = Date.now() + 5000;
  let problems;
  for (;;) {
    await page.evaluate(async () => {
      await document.fonts.ready;
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    });
    problems = await khmerGlyphProblems(page);
    if (problems.length === 0 || Date.now() > deadline) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.deepEqual(problems, [], `Khmer drawn as boxes on "${name}" (${page.url()}):\n  ${problems.join('\n  ')}`);
}

/**
 * Khmer text that overflows at the page's current width: each visible text holding Khmer must lie inside its nearest
 * block's box (its line boxes' rectangles, and the block's scrollWidth against its clientWidth) and, unless a
 * scrolling box holds it (a wide table), inside the screen; and the page must be no wider than the screen. Returns one
 * line per problem.
 */
export function khmerOverflows(page) {
  return page.evaluate(() => {
    const KHMER = /[\u1780-\u17FF]/u;
    const problems = [];
    const viewport = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > viewport) {
      problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${viewport} px screen`);
    }
    const blockOf = (el) => {
      let b = el;
      while (b.parentElement && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
      return b;
    };
    const scrolls = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(a).overflowX)) return true;
      }
      return false;
    };
    const px = (n) => Math.round(n);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !KHMER.test(n.data) || !el.checkVisibility({ visibilityProperty: true })) continue;
      const block = blockOf(el);
      const box = block.getBoundingClientRect();
      // Hidden on purpose until focused or read out: the skip link parked off-screen, a clipped label.
      const hidden = box.right <= 0 || box.left >= viewport || box.width <= 1 || getComputedStyle(block).clipPath !== 'none' ||
        getComputedStyle(block).clip !== 'auto';
      if (hidden) continue;
      const [left, right] = scrolls(block) ? [box.left, box.right] : [Math.max(box.left, 0), Math.min(box.right, viewport)];
      const range = document.createRange();
      range.selectNodeContents(n);
      const sample = n.data.trim().slice(0, 30);
      const out = [...range.getClientRects()].find((r) => r.width > 0 && (r.right > right + 1 || r.left < left - 1));
      if (out) problems.push(`"${sample}" in <${block.localName}> spans ${px(out.left)}–${px(out.right)} px, room ${px(left)}–${px(right)} px`);
      const scroller = /auto|scroll/.test(getComputedStyle(block).overflowX);
      if (!scroller && block.clientWidth > 0 && block.scrollWidth > block.clientWidth + 1) {
        problems.push(`<${block.localName}> holding "${sample}" scrolls: ${block.scrollWidth} px of content in ${block.clientWidth} px`);
      }
    }
    return [...new Set(problems)];
  });
}
