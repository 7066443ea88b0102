// Writes a Brotli (.br) and a gzip (.gz) copy, at maximum compression, of every script, style sheet and SVG that
// `vite build` put in dist/assets. The server sends these to browsers that accept them (src/web_assets.rs): fewer
// bytes than compressing on the fly, where speed wins over size. Node's own zlib; no dependency.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = join(import.meta.dirname, '../dist/assets');
let plain = 0;
let br = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(js|css|svg)$/.test(name)) continue;
  const data = readFileSync(join(dir, name));
  const brotli = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  writeFileSync(join(dir, `${name}.br`), brotli);
  writeFileSync(join(dir, `${name}.gz`), gzipSync(data, { level: 9 }));
  plain += data.length;
  br += brotli.length;
}
console.log(`precompressed dist/assets: ${(plain / 1000).toFixed(1)} kB → ${(br / 1000).toFixed(1)} kB Brotli`);
