// Scale-out benchmark: time from "6 simultaneous 60 s phone uploads complete" to "all 6 ready", with 1 and with 2
// `clipjury worker` processes (release binary) next to one `clipjury serve` (workers off), on a throwaway
// PostgreSQL and a shared local media folder. Workers start the moment the last upload completes, so both runs
// begin with the same full queue. Writes the "Scale-out workers" section of docs/benchmarks.md.
//
//   cargo build --release && npm ci --prefix bench && scripts/with-postgres.sh node bench/scale.mjs
//   CLIP_SECONDS=20 …   shorter clips (the contest limit stays 60 s) when the machine is too busy for 60 s ones
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as tus from 'tus-js-client';

const BIN = process.env.CLIPJURY_BIN ?? resolve(import.meta.dirname, '../target/release/clipjury');
const PG = process.env.CLIPJURY_TEST_DATABASE_URL;
if (!PG) throw new Error('run through scripts/with-postgres.sh');
const { freePort } = await import('../tests/interop/support/server.mjs');

const work = mkdtempSync('/var/tmp/clipjury-scale-');
const clip = join(work, 'phone.mp4');
const SECONDS = Number(process.env.CLIP_SECONDS ?? 60);
// The phone-like clip of bench/media.sh: 60 s 1080x1920 30 fps ~12 Mb/s H.264 + AAC, a keyframe every second.
const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1080x1920:rate=30,noise=alls=30:allf=t',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'veryfast',
  '-b:v', '12M', '-maxrate', '12M', '-bufsize', '24M', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', clip]);
if (made.status !== 0) throw new Error(String(made.stderr));
const file = readFileSync(clip);

async function api(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { res, json: text ? JSON.parse(text) : null };
}

/** One run: a fresh database and media folder, `workers` worker processes; returns seconds to all ready. */
async function run(workers) {
  const name = `clipjury_bench_${Date.now()}`;
  const created = spawnSync('psql', [`${PG}/postgres`, '-qc', `CREATE DATABASE ${name}`]);
  if (created.status !== 0) throw new Error(String(created.stderr));
  const dir = mkdtempSync(join(work, 'run-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env, DATABASE_URL: `${PG}/${name}`, CLIPJURY_MEDIA__DIR: join(dir, 'media'), CLIPJURY_WORKER__IN_PROCESS: 'false',
    CLIPJURY_SERVER__LISTEN: `127.0.0.1:${port}`, CLIPJURY_SERVER__WEB_DIR: '/nonexistent', CLIPJURY_LOG_LEVEL: 'warn',
    CLIPJURY_WORKER__TEMP_DIR: dir, CLIPJURY_AUTH__JWT_SECRET: `bench-secret-${name}-0123456789abcdef`,
  };
  const password = 'bench password 1234';
  const admin = spawnSync(BIN, ['admin', 'create', '--email', 'admin@example.org'], { input: `${password}\n`, env });
  if (admin.status !== 0) throw new Error(String(admin.stderr));
  const server = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const procs = [server];
  try {
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* starting */ }
      if (i > 300) throw new Error('serve did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const token = (await api(base, 'POST', '/api/auth/login', null, { email: 'admin@example.org', password })).json.token;
    const contest = (await api(base, 'POST', '/api/contests', token, { title: 'Bench' })).json;
    await api(base, 'POST', `/api/contests/${contest.id}/transitions`, token, { to: 'open' });
    const groups = [];
    for (let i = 0; i < 6; i++) {
      const p = (await api(base, 'POST', `/api/contests/${contest.id}/participants`, token, { role: 'group', name: `Group ${i + 1}` })).json;
      const redeemed = await api(base, 'POST', '/api/invites/redeem', null, { token: p.invite.token });
      const group = /clipjury_session=([^;]+)/.exec(redeemed.res.headers.get('set-cookie'))[1];
      await api(base, 'PUT', `/api/contests/${contest.id}/submission`, group, { title: 'Bench', key_message: 'K', consent_confirmed: true });
      groups.push(group);
    }
    await Promise.all(groups.map((group) => new Promise((ok, fail) => new tus.Upload(file, {
      endpoint: `${base}/api/uploads`, chunkSize: 50_000_000, headers: { Authorization: `Bearer ${group}` }, onSuccess: ok, onError: fail,
    }).start())));
    const start = performance.now();
    for (let i = 0; i < workers; i++) procs.push(spawn(BIN, ['worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    for (;;) {
      const subs = (await api(base, 'GET', `/api/contests/${contest.id}/submissions`, token)).json;
      const failed = subs.filter((s) => s.status === 'failed');
      if (failed.length) throw new Error(`failed: ${JSON.stringify(failed)}`);
      if (subs.length === 6 && subs.every((s) => s.status === 'ready')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return (performance.now() - start) / 1000;
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r() : p.once('exit', r)))));
    spawnSync('psql', [`${PG}/postgres`, '-qc', `DROP DATABASE ${name} WITH (FORCE)`]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = {};
const loads = [];
try {
  for (const workers of [1, 2]) {
    loads.push(loadavg()[0]);
    results[workers] = await run(workers);
    loads.push(loadavg()[0]);
    console.log(`${workers} worker process(es): all 6 ready ${results[workers].toFixed(1)} s after the uploads completed`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const ratio = results[2] / results[1];
console.log(`ratio 2 workers / 1 worker: ${ratio.toFixed(2)}`);

const section = `## Scale-out workers (issue: scale-out)

Measured by \`scripts/with-postgres.sh node bench/scale.mjs\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores
(${cpus()[0].model}), release build, one \`clipjury serve\` (workers off) on PostgreSQL 15 and a local media folder.
Six groups upload a ${SECONDS} s 1080x1920 ~12 Mb/s phone-like clip at the same time with tus-js-client; when the last
upload completes, N \`clipjury worker\` processes (\`worker.concurrency = 1\`) start and the clock runs until all six
videos are ready (probe, posters, 720p and 360p each).

| worker processes | time to all 6 ready | per video |
|---|---|---|
| 1 | ${results[1].toFixed(1)} s | ${(results[1] / 6).toFixed(1)} s |
| 2 | ${results[2].toFixed(1)} s | ${(results[2] / 6).toFixed(1)} s |

**Ratio 2 / 1 = ${ratio.toFixed(2)}.** 1-minute load average across the runs: ${loads.map((l) => l.toFixed(1)).join(' → ')}
(the transcodes' own encoder threads count in it; well above that, other jobs shared the machine and the absolute times
are pessimistic).
`;
const doc = resolve(import.meta.dirname, '../docs/benchmarks.md');
const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
const at = old.indexOf('## Scale-out workers');
const next = at < 0 ? -1 : old.indexOf('\n## ', at + 1);
writeFileSync(doc, at < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, at)}${section}${next < 0 ? '' : `\n${old.slice(next + 1)}`}`);
console.log(`wrote ${doc}`);
