// Web weight and Lighthouse benchmark for the group's upload page (what a phone on mobile data opens first).
// Starts a fresh release server serving web/dist, signs in a group, runs Lighthouse 12.2.3 (mobile form factor,
// its default simulated slow-4G network and 4× CPU slowdown) three times against the group's invite link (where the
// upload form is) with the group's session cookie, and adds up the JS and CSS the page loads (compressed, as sent) plus the upload code it loads on demand.
// Writes the "Web app" section of docs/benchmarks.md.
//
//   (cd web && npm run build) && cargo build --release && node bench/lighthouse.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
process.env.CLIPJURY_BIN ??= join(root, 'target/release/clipjury');
const { startServer } = await import('../tests/interop/support/server.mjs');
const RUNS = Number(process.env.RUNS ?? 3);
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const lighthouse = join(import.meta.dirname, 'node_modules/.bin/lighthouse');
if (!existsSync(lighthouse)) throw new Error('run `npm ci` in bench/ first');

const srv = await startServer({ env: { CLIPJURY_SERVER__WEB_DIR: join(root, 'web/dist') } });
const out = mkdtempSync(join(tmpdir(), 'clipjury-lighthouse-'));
const reports = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const path = join(out, `run-${i}.json`);
    const r = spawnSync(lighthouse, [
      `${srv.base}/i/${srv.inviteToken}`,
      '--only-categories=performance',
      '--output=json',
      `--output-path=${path}`,
      '--quiet',
      `--extra-headers=${JSON.stringify({ Cookie: `clipjury_session=${srv.group}` })}`,
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ], { env: { ...process.env, CHROME_PATH: chromium }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`lighthouse failed: ${r.stderr}`);
    reports.push(JSON.parse(readFileSync(path, 'utf8')));
  }
} finally {
  await srv.stop();
  rmSync(out, { recursive: true, force: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const score = median(reports.map((r) => Math.round(r.categories.performance.score * 100)));
const metric = (id) => median(reports.map((r) => r.audits[id].numericValue));
const last = reports.at(-1);
const requests = last.audits['network-requests'].details.items;
const sent = (types) => requests.filter((q) => types.includes(q.resourceType)).reduce((n, q) => n + q.transferSize, 0);
for (const q of requests) console.log(q.resourceType, q.transferSize, q.resourceSize, q.url);
const pageJs = sent(['Script']);
const pageCss = sent(['Stylesheet']);
// Loaded only when the group picks a video; not part of the page load Lighthouse sees.
const assets = join(root, 'web/dist/assets');
const tusFile = readdirSync(assets).find((f) => /^tus-.*\.js$/.test(f));
// The copy Chromium gets: the Brotli file the build wrote, else gzip -9 of the script.
const tusBr = tusFile && existsSync(join(assets, `${tusFile}.br`)) ? `${tusFile}.br` : null;
const tusGz = tusBr ? readFileSync(join(assets, tusBr)).length : tusFile ? gzipSync(readFileSync(join(assets, tusFile)), { level: 9 }).length : 0;
const kb = (n) => (n / 1000).toFixed(1);
const total = pageJs + pageCss + tusGz;
const row = (name, v) => `| ${name} | ${v} |`;
const section = `## Web app: weight and Lighthouse (issue: web app)

Measured by \`node bench/lighthouse.mjs\` on ${new Date().toISOString().slice(0, 10)}: Lighthouse 12.2.3, mobile form
factor with its default simulation (slow 4G, 4× CPU slowdown), Debian's Chromium, against the release server on
loopback; the page is the group's upload page (its invite link \`/i/{token}\`, with the group's session: brief, form, video picker), median of ${RUNS} runs. Sizes are bytes as
sent, response headers included (Brotli files the build precompressed), from Lighthouse's network log; the upload
code (tus-js-client) is loaded only when the group picks a video, so its ${tusBr ? 'Brotli' : 'gzip -9'} size is added from the build. Target: ≤ 60 KB JS + CSS on the group's path, performance
score ≥ 90.

| what | measured |
|---|---|
${row('performance score', `**${score}**`)}
${row('first contentful paint', `${(metric('first-contentful-paint') / 1000).toFixed(2)} s`)}
${row('largest contentful paint', `${(metric('largest-contentful-paint') / 1000).toFixed(2)} s`)}
${row('total blocking time', `${metric('total-blocking-time').toFixed(0)} ms`)}
${row('cumulative layout shift', metric('cumulative-layout-shift').toFixed(3))}
${row('JS loaded by the page', `${kb(pageJs)} KB`)}
${row('CSS loaded by the page', `${kb(pageCss)} KB`)}
${row(`upload code loaded on demand (${tusBr ? 'Brotli' : 'gzip -9'})`, `${kb(tusGz)} KB`)}
${row('group path in total', `**${kb(total)} KB** (target ≤ 60 KB: ${total <= 60_000 ? 'met' : 'not met'})`)}
`;
console.log(section);
const doc = join(root, 'docs/benchmarks.md');
const old = readFileSync(doc, 'utf8');
const start = old.indexOf('## Web app: weight and Lighthouse');
const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
const updated = start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : old.slice(next + 1)}`;
writeFileSync(doc, updated);
console.log(`wrote ${doc}`);
