// Load benchmark (issue 15, "Measure it"): wrk on loopback at 32 connections against a release `clipjury serve` on
// SQLite and on PostgreSQL — a juror's entry list, a score save, the public results (API and page) — each as a ratio
// to an actix-web hello-world handler (examples/hello.rs) measured in the same run, A/B interleaved; then 3 jurors
// scoring while 6 groups upload, checked for lost writes. Writes the "Load" section of docs/benchmarks.md.
//
//   cargo build --release --bin clipjury --bin clipjury-media --example hello
//   scripts/with-postgres.sh node bench/load.mjs       (without the wrapper: SQLite only, nothing written)
//   RUNS=5 RUN_SECONDS=8 CONNECTIONS=32 ENTRIES=24 JURORS=8 BACKENDS=sqlite,postgres   (the defaults)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BIN, card, judgingContest, publish, startClipjury, startHello } from './load/app.mjs';
import { jurorsWhileUploading } from './load/concurrent.mjs';
import { CONNECTIONS, SECONDS, THREADS, ensureWrk, runWrk, writeList } from './load/wrk.mjs';
import { section } from './load/report.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.RUNS ?? 5);
const GROUPS = Number(process.env.ENTRIES ?? 24);
const JURORS = Number(process.env.JURORS ?? 8);
const PG = process.env.CLIPJURY_TEST_DATABASE_URL;
const BACKENDS = (process.env.BACKENDS ?? (PG ? 'sqlite,postgres' : 'sqlite')).split(',');
const ONLY = process.env.ONLY; // a regular expression on the endpoint names, while investigating
if (BACKENDS.includes('postgres') && !PG) throw new Error('PostgreSQL: run through scripts/with-postgres.sh');

ensureWrk();
const fixtures = join(ROOT, 'target/fixtures');
if (spawnSync('bash', [join(ROOT, 'tests/fixtures/make-clips.sh'), fixtures], { stdio: 'inherit' }).status !== 0) {
  throw new Error('tests/fixtures/make-clips.sh failed');
}
const COMPLIANT = join(fixtures, 'compliant-640x360.mp4');
const PHONE = join(fixtures, 'android-portrait.mp4');
const work = mkdtempSync('/var/tmp/clipjury-load-');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load1 = () => loadavg()[0];

/**
 * RUNS rounds of hello-world then the target (A/B/A/B), after one short warm-up of each. `target()` returns the
 * list file for the next run (the score save re-reads its cards' versions each time); `after(result)` checks a run.
 */
async function series(name, srv, hello, script, target, after = async () => {}) {
  const helloList = writeList(join(work, 'hello.lua'), [{ path: '/' }]);
  const loads = [load1()];
  await runWrk('get.lua', hello.base, helloList, hello.pid);
  const warm = await target();
  await after(await runWrk(script, srv.base, warm, srv.pid));
  const rounds = [];
  for (let i = 0; i < RUNS; i++) {
    const h = await runWrk('get.lua', hello.base, helloList, hello.pid);
    const list = await target();
    const t = await runWrk(script, srv.base, list, srv.pid);
    await after(t);
    rounds.push({ hello: h, target: t, ratio: t.rps / h.rps });
    console.log(`  ${name}: ${t.rps.toFixed(0)} rps p99 ${t.p99.toFixed(1)} ms (hello ${h.rps.toFixed(0)} rps, p99 ${h.p99.toFixed(1)} ms) ratio ${(t.rps / h.rps * 100).toFixed(1)} %, non-2xx ${t.non2xx}, CPU server ${t.serverCpu.toFixed(2)} wrk ${t.wrkCpu.toFixed(2)} (hello: ${h.serverCpu.toFixed(2)}, ${h.wrkCpu.toFixed(2)}), load ${load1().toFixed(1)}`);
  }
  loads.push(load1());
  const pick = (side, key) => median(rounds.map((r) => r[side][key]));
  return {
    name, loads, rounds,
    rps: pick('target', 'rps'), p50: pick('target', 'p50'), p99: pick('target', 'p99'),
    helloRps: pick('hello', 'rps'), helloP99: pick('hello', 'p99'), ratio: median(rounds.map((r) => r.ratio)),
    non2xx: rounds.reduce((n, r) => n + r.target.non2xx + r.target.socketErrors, 0),
    requests: rounds.reduce((n, r) => n + r.target.requests, 0),
    wrkCpu: pick('target', 'wrkCpu'), serverCpu: pick('target', 'serverCpu'),
    helloWrkCpu: pick('hello', 'wrkCpu'), helloServerCpu: pick('hello', 'serverCpu'),
  };
}

/** The score-save series: the cards' versions are read before each run and checked after it. */
async function saveSeries(srv, hello, c) {
  const cards = c.jurors.flatMap((token) => c.entries.map((entry) => ({ token, entry })));
  const perThread = cards.length / THREADS;
  if (perThread < 2 * CONNECTIONS / THREADS) throw new Error(`${cards.length} cards are too few for ${CONNECTIONS} connections`);
  const check = { acked: 0, applied: 0, lost: 0, starved: 0 };
  let before = [];
  const versions = () => Promise.all(cards.map((k) => card(srv.base, c.id, k.entry, k.token).then((m) => m.version)));
  const target = async () => {
    before = await versions();
    return writeList(join(work, 'cards.lua'), cards.map((k, i) => ({
      path: `/api/contests/${c.id}/entries/${k.entry}/score`, token: k.token, version: before[i],
    })));
  };
  const after = async (run) => {
    const now = await versions();
    cards.forEach((_, i) => {
      const acked = run.acked[String(i + 1)] ?? 0;
      check.acked += acked;
      check.applied += now[i] - before[i];
      // A save the server acknowledged is missing when the card's version did not move on by at least that many.
      if (now[i] - before[i] < acked) check.lost += acked - (now[i] - before[i]);
    });
    check.starved += run.starved;
  };
  const s = await series('score save', srv, hello, 'save.lua', target, after);
  return { ...s, cards: cards.length, check };
}

async function backend(kind) {
  console.log(`${kind}: preparing ${GROUPS} entries and ${JURORS} jurors`);
  const hello = await startHello();
  const srv = await startClipjury(work, kind === 'postgres' ? PG : null);
  console.log(`${kind}: clipjury serve pid ${srv.pid}, hello-world pid ${hello.pid}`);
  try {
    const c = await judgingContest(srv, 'Load', GROUPS, JURORS, COMPLIANT);
    const results = [];
    const want = (name) => !ONLY || new RegExp(ONLY).test(name);
    if (want('juror entry list')) {
      const list = writeList(join(work, 'entries.lua'), c.jurors.map((token) => ({ path: `/api/contests/${c.id}/entries`, token })));
      results.push(await series('juror entry list', srv, hello, 'get.lua', async () => list));
    }
    if (want('score save')) results.push(await saveSeries(srv, hello, c));
    if (want('public results')) {
      await publish(srv, c);
      const json = writeList(join(work, 'public.lua'), [{ path: `/api/public/contests/${c.slug}/results` }]);
      results.push(await series('public results (API)', srv, hello, 'get.lua', async () => json));
      const page = writeList(join(work, 'page.lua'), [{ path: `/c/${c.slug}/results` }]);
      results.push(await series('public results page (HTML)', srv, hello, 'get.lua', async () => page));
    }
    const concurrent = want('jurors while uploading') ? await jurorsWhileUploading(srv, COMPLIANT, PHONE) : null;
    if (concurrent) console.log(`${kind}: 3 jurors scoring while 6 groups upload:`, concurrent);
    return { kind, results, concurrent };
  } finally {
    await srv.stop();
    await hello.stop();
  }
}

const runs = [];
try {
  for (const kind of BACKENDS) runs.push(await backend(kind));
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (ONLY || BACKENDS.length < 2) {
  console.log('a partial run: docs/benchmarks.md not written');
  process.exit(0);
}
const pgVersion = spawnSync('psql', ['--version']).stdout.toString().trim();
const text = section({
  runs, date: new Date().toISOString().slice(0, 10), cpu: cpus()[0].model, cores: cpus().length, pgVersion,
  runsPer: RUNS, seconds: SECONDS, connections: CONNECTIONS, threads: THREADS, groups: GROUPS, jurors: JURORS,
});
const doc = join(ROOT, 'docs/benchmarks.md');
const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
const heading = '## Load: API at 32 connections';
const at = old.indexOf(heading);
const next = at < 0 ? -1 : old.indexOf('\n## ', at + 1);
writeFileSync(doc, at < 0 ? `${old.trimEnd()}\n\n${text}` : `${old.slice(0, at)}${text}${next < 0 ? '' : `\n${old.slice(next + 1)}`}`);
console.log(`wrote ${doc} (binary ${BIN})`);
