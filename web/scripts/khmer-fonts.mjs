// Cuts the Khmer web fonts that src/fonts.css names out of @fontsource/noto-sans-khmer, at build time.
//
// fonts.css is the one place that says what is shipped: each @font-face whose src is
// `url('./assets/fonts/noto-sans-khmer-<name>-<weight>.woff2')` gets the package's Khmer file of that weight, cut to
// the face's own `unicode-range` (harfbuzz's hb-subset through subset-font, every OpenType layout feature kept, so
// subscripts and vowels still stack). The package's Khmer files also carry Basic Latin, which a face limited to the
// Khmer block never uses: cutting it saves about a quarter of each file. Writes src/assets/fonts/ (not committed);
// does nothing when fonts.css, this script and the package's version are those the files were cut from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import subsetFont from 'subset-font';

const web = join(import.meta.dirname, '..');
const css = join(web, 'src/fonts.css');
const out = join(web, 'src/assets/fonts');
const pkg = dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-khmer/package.json'));

/** Code points of a CSS `unicode-range` value ("U+1780-17FF, U+25CC"). */
function codePoints(range) {
  const points = [];
  for (const part of range.split(',').map((s) => s.trim())) {
    const m = /^U\+([0-9A-F]{1,6})(?:-([0-9A-F]{1,6}))?$/i.exec(part);
    if (!m) throw new Error(`fonts.css: cannot read unicode-range part "${part}"`);
    const [from, to] = [parseInt(m[1], 16), parseInt(m[2] ?? m[1], 16)];
    if (to < from) throw new Error(`fonts.css: empty unicode-range part "${part}"`);
    for (let c = from; c <= to; c++) points.push(c);
  }
  return points;
}

/** The faces fonts.css builds from the package: `{ file, weight, range }`. */
function faces(source) {
  const found = [];
  for (const [block] of source.matchAll(/@font-face\s*\{[^}]*\}/g)) {
    const url = /url\(['"]?\.\/assets\/fonts\/(noto-sans-khmer-[\w-]*?(\d{3})\.woff2)['"]?\)/.exec(block);
    if (!url) continue;
    const range = /unicode-range:\s*([^;]+);/.exec(block);
    if (!range) throw new Error(`fonts.css: the face of ${url[1]} has no unicode-range`);
    found.push({ file: url[1], weight: url[2], range: range[1] });
  }
  if (found.length === 0) throw new Error('fonts.css names no ./assets/fonts/noto-sans-khmer-*.woff2 file');
  return found;
}

const source = readFileSync(css, 'utf8');
const list = faces(source);
// (npm gives every installed file the same old mtime, so the package's version stands for its files.)
const stamp = createHash('sha256')
  .update(source)
  .update(readFileSync(import.meta.filename))
  .update(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version)
  .digest('hex');
const stampFile = join(out, 'stamp');
const fresh = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
if (fresh && list.every((face) => existsSync(join(out, face.file)))) process.exit(0);
mkdirSync(out, { recursive: true });
for (const face of list) {
  const target = join(out, face.file);
  const from = join(pkg, 'files', `noto-sans-khmer-khmer-${face.weight}-normal.woff2`);
  if (!existsSync(from)) throw new Error(`@fontsource/noto-sans-khmer has no weight ${face.weight} (${from})`);
  const text = String.fromCodePoint(...codePoints(face.range));
  // Name 14, the licence's address, kept beside the copyright (name 0) that the cut keeps anyway: OFL.
  const cut = await subsetFont(readFileSync(from), text, { targetFormat: 'woff2', preserveNameIds: [14] });
  writeFileSync(target, cut);
  console.log(`${face.file}: ${(statSync(from).size / 1000).toFixed(1)} kB → ${(cut.length / 1000).toFixed(1)} kB (${face.range})`);
}
writeFileSync(stampFile, stamp);
