// Web weight and Lighthouse benchmark for the group's upload page (what a phone on mobile data opens first), in
// English and in Khmer. Starts a fresh release server serving web/dist, signs in a group, runs Lighthouse 12.2.3
// (mobile form factor, its default simulated slow-4G network and 4× CPU slowdown) three times against the group's
// invite link (where the upload form is) with the group's session cookie, once with the contest in English and once in
// Khmer, and adds up the JS, CSS and fonts the page loads (compressed, as sent) plus the upload code it loads on demand.
// Chromium sees no Khmer system font (the browser tests' fontconfig), so the Khmer page fetches the web font: the
// worst case, a device without Khmer. Writes the "Web app" section of docs/benchmarks.md.
//
//   (cd web && npm run build) && cargo build --release && node bench/lighthouse.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { latinOnlyFontconfig } from '../tests/e2e/support/khmer.mjs';

const root = resolve(import.meta.dirname, '..');
process.env.CLIPJURY_BIN ??= join(root, 'target/release/clipjury');
const { startServer } = await import('../tests/interop/support/server.mjs');
const RUNS = Number(process.env.RUNS ?? 3);
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const lighthouse = join(import.meta.dirname, 'node_modules/.bin/lighthouse');
if (!existsSync(lighthouse)) throw new Error('run `npm ci` in bench/ first');

const srv = await startServer({ env: { CLIPJURY_SERVER__WEB_DIR: join(root, 'web/dist') } });
const out = mkdtempSync(join(tmpdir(), 'clipjury-lighthouse-'));
const env = { ...process.env, CHROME_PATH: chromium, FONTCONFIG_FILE: latinOnlyFontconfig() };
const reports = { en: [], km: [] };
try {
  for (const locale of ['en', 'km']) {
    const patch = () => srv.api('PATCH', `/api/contests/${srv.contestId}`, srv.admin, { default_locale: locale });
    // After a minute of Lighthouse, Node's fetch may reuse a keep-alive connection the server has just closed.
    await patch().catch((e) => (e.cause?.code === 'UND_ERR_SOCKET' ? patch() : Promise.reject(e)));
    for (let i = 0; i < RUNS; i++) {
      const path = join(out, `${locale}-${i}.json`);
      const r = spawnSync(lighthouse, [
        `${srv.base}/i/${srv.inviteToken}`,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${path}`,
        '--quiet',
        `--extra-headers=${JSON.stringify({ Cookie: `clipjury_session=${srv.group}` })}`,
        '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
      ], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`lighthouse failed: ${r.stderr}`);
      reports[locale].push(JSON.parse(readFileSync(path, 'utf8')));
    }
  }
} finally {
  await srv.stop();
  rmSync(out, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Loaded only when the group picks a video; not part of the page load Lighthouse sees.
const assets = join(root, 'web/dist/assets');
const tusFile = readdirSync(assets).find((f) => /^tus-.*\.js$/.test(f));
// The copy Chromium gets: the Brotli file the build wrote, else gzip -9 of the script.
const tusBr = tusFile && existsSync(join(assets, `${tusFile}.br`)) ? `${tusFile}.br` : null;
const tusGz = tusBr ? readFileSync(join(assets, tusBr)).length : tusFile ? gzipSync(readFileSync(join(assets, tusFile)), { level: 9 }).length : 0;

function measure(runs) {
  const metric = (id) => median(runs.map((r) => r.audits[id].numericValue));
  const requests = runs.at(-1).audits['network-requests'].details.items;
  for (const q of requests) console.log(q.resourceType, q.transferSize, q.resourceSize, q.url);
  const sent = (type) => requests.filter((q) => q.resourceType === type).reduce((n, q) => n + q.transferSize, 0);
  const m = {
    score: median(runs.map((r) => Math.round(r.categories.performance.score * 100))),
    fcp: metric('first-contentful-paint'),
    lcp: metric('largest-contentful-paint'),
    tbt: metric('total-blocking-time'),
    cls: metric('cumulative-layout-shift'),
    js: sent('Script'),
    css: sent('Stylesheet'),
    font: sent('Font'),
    fonts: requests.filter((q) => q.resourceType === 'Font').map((q) => q.url.split('/').pop().replace(/-[\w]+\.woff2$/, '')),
  };
  m.total = m.js + m.css + m.font + tusGz;
  return m;
}
const en = measure(reports.en);
const km = measure(reports.km);
const kb = (n) => (n / 1000).toFixed(1);
const row = (name, f) => `| ${name} | ${f(en)} | ${f(km)} |`;
const server = /\/debug\//.test(process.env.CLIPJURY_BIN) ? 'debug' : 'release';
const section = `## Web app: weight and Lighthouse (issue: web app; Khmer font: issue 19)

Measured by \`node bench/lighthouse.mjs\` on ${new Date().toISOString().slice(0, 10)}: Lighthouse 12.2.3, mobile form
factor with its default simulation (slow 4G, 4× CPU slowdown), Debian's Chromium, against the ${server} server on
loopback${server === 'debug' ? ' (the bytes are the same as from a release build; the timings are not comparable with one)' : ''}; the page is the group's upload page (its invite link \`/i/{token}\`, with the group's session: brief, form,
video picker), median of ${RUNS} runs, with the contest in English and in Khmer. Chromium sees no Khmer system font (a
fontconfig file listing only DejaVu/Liberation), so the Khmer page downloads the web font, as a device without Khmer
would; a device with one fetches none of it. Sizes are bytes as sent, response headers included (Brotli files the build
precompressed; woff2 is compressed already), from Lighthouse's network log; the upload code (tus-js-client) is loaded
only when the group picks a video, so its ${tusBr ? 'Brotli' : 'gzip -9'} size is added from the build. Targets: the
English path ≤ 60 KB, the Khmer path ≤ 100 KB with its font; performance score ≥ 90.

| what | English | Khmer |
|---|---|---|
${row('performance score', (m) => `**${m.score}**`)}
${row('first contentful paint', (m) => `${(m.fcp / 1000).toFixed(2)} s`)}
${row('largest contentful paint', (m) => `${(m.lcp / 1000).toFixed(2)} s`)}
${row('total blocking time', (m) => `${m.tbt.toFixed(0)} ms`)}
${row('cumulative layout shift', (m) => m.cls.toFixed(3))}
${row('JS loaded by the page', (m) => `${kb(m.js)} KB`)}
${row('CSS loaded by the page', (m) => `${kb(m.css)} KB`)}
${row('fonts loaded by the page', (m) => `${kb(m.font)} KB (${m.fonts.join(', ') || 'none'})`)}
${row(`upload code loaded on demand (${tusBr ? 'Brotli' : 'gzip -9'})`, () => `${kb(tusGz)} KB`)}
${row('group path in total', (m) => `**${kb(m.total)} KB**`)}
| target | ≤ 60 KB: ${en.total <= 60_000 ? 'met' : 'not met'} | ≤ 100 KB: ${km.total <= 100_000 ? 'met' : 'not met'} |
`;
console.log(section);
const doc = join(root, 'docs/benchmarks.md');
const old = readFileSync(doc, 'utf8');
const start = old.indexOf('## Web app: weight and Lighthouse');
const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
const updated = start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : old.slice(next + 1)}`;
writeFileSync(doc, updated);
console.log(`wrote ${doc}`);
