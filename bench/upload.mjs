// Upload ingest benchmark: a file of 100 MiB and of 1 GiB sent over loopback with tus (50 MB chunks: the official
// tus-js-client, and curl sending the same PATCHes over one connection) and as one multipart request (curl), each
// against a fresh release server. Reports throughput as a ratio to copying the same file on the same disk (`cp`, and
// `cp` followed by an fsync of the copy: an upload ends durable), and to the floor the loopback socket sets (curl into
// bench/loopback_sink.py), and the server's peak RSS (VmHWM). Writes the "Upload ingest" section of
// docs/benchmarks.md.
//
//   node bench/upload.mjs            (after `cargo build --release`; CLIPJURY_BIN overrides the binary)
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import * as tus from 'tus-js-client';

process.env.CLIPJURY_BIN ??= resolve(import.meta.dirname, '../target/release/clipjury');
const { startServer, freePort } = await import('../tests/interop/support/server.mjs');

const MiB = 1024 * 1024;
// SIZES_MIB=1024 and METHODS=curl (a substring of the method names) narrow a run down while investigating; the
// section in docs/benchmarks.md is written only by a full run.
const SIZES = (process.env.SIZES_MIB ?? '100,1024').split(',').map((m) => Number(m) * MiB);
const METHODS = process.env.METHODS;
const RUNS = Number(process.env.RUNS ?? 5);
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

// The idle server's resident memory, split into anonymous memory and pages of mapped files (code, libraries).
let idle = null;
function idleRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)[1]) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

// CPU seconds (user + system) the process has used so far.
function cpuSecs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One `cp` of the file on the same disk; with `durable`, followed by `sync FILE` (fsync of the copy).
function timeCp(src, durable) {
  const dst = join(work, 'cp-copy');
  spawnSync('sync');
  const t = process.hrtime.bigint();
  spawnSync('cp', [src, dst]);
  if (durable) spawnSync('sync', [dst]);
  const secs = Number(process.hrtime.bigint() - t) / 1e9;
  rmSync(dst);
  return secs;
}

async function serverFor(size) {
  const srv = await startServer({
    maxUploadBytes: size + MiB,
    // Workers on, as `clipjury serve` runs by default (the random bytes are refused by the media child, which is
    // another process and not counted).
    env: { CLIPJURY_UPLOADS__GROUP_QUOTA_BYTES: String(4 * size), CLIPJURY_WORKER__IN_PROCESS: 'true' },
  });
  idle ??= idleRss(srv.pid);
  return srv;
}

async function timeTus(srv, src, size) {
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpu0);
  return { secs: Number(process.hrtime.bigint() - t) / 1e9, clientCpu: (cpu.user + cpu.system) / 1e6 };
}

// Runs a client program; its wall time and CPU time (user + system, from wait4) are taken by a small Python parent,
// so neither counts Node's spawning.
const TIMED = `import os, sys, time
t = time.monotonic()
pid = os.spawnvp(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"{time.monotonic() - t:.6f} {usage.ru_utime + usage.ru_stime:.3f}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))`;
function runTimed(cmd, args) {
  const r = spawnSync('python3', ['-c', TIMED, cmd, ...args]);
  const lines = r.stderr.toString().trim().split('\n');
  const [secs, clientCpu] = lines.at(-1).split(' ').map(Number);
  return { status: r.status, stdout: r.stdout, stderr: lines.slice(0, -1).join('\n'), secs, clientCpu };
}

const CHUNK = 50_000_000;

// The same tus PATCHes from curl: one curl process sends the pieces (cut beforehand) in order over one keep-alive
// connection.
function cutPieces(src) {
  const pieces = join(work, 'pieces');
  rmSync(pieces, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', pieces]);
  spawnSync('split', ['-b', String(CHUNK), '-d', '-a', '4', src, join(pieces, 'p')]);
  spawnSync('sync');
  return pieces;
}

async function timeTusCurl(srv, src, size) {
  const pieces = join(work, 'pieces');
  const auth = `Authorization: Bearer ${srv.group}`;
  const created = runTimed('curl', ['-sS', '-f', '-D', '-', '-o', '/dev/null', '-X', 'POST', '-H', auth, '-H', 'Tus-Resumable: 1.0.0',
    '-H', `Upload-Length: ${size}`, '-H', `Upload-Metadata: filename ${Buffer.from('bench.bin').toString('base64')}`, `${srv.base}/api/uploads`]);
  const location = /^location:\s*(\S+)/im.exec(created.stdout.toString())?.[1];
  if (!location) throw new Error(`tus create failed: ${created.stderr}`);
  const url = new URL(location, srv.base).href;
  const args = [];
  for (let i = 0, offset = 0; offset < size; i++, offset += CHUNK) {
    if (i > 0) args.push('--next');
    args.push('-sS', '-f', '-o', '/dev/null', '-X', 'PATCH', '-H', auth, '-H', 'Tus-Resumable: 1.0.0', '-H', 'Content-Type: application/offset+octet-stream',
      '-H', `Upload-Offset: ${offset}`, '-T', join(pieces, `p${String(i).padStart(4, '0')}`), url);
  }
  const r = runTimed('curl', args);
  if (r.status !== 0) throw new Error(`curl PATCH failed: ${r.stderr}`);
  return { secs: created.secs + r.secs, clientCpu: created.clientCpu + r.clientCpu };
}

// bench/sendfile_client.py: sends file bytes with sendfile(2), so the client costs the shared 2 cores little.
const SENDFILE = resolve(import.meta.dirname, 'sendfile_client.py');
function runClient(args) {
  const r = spawnSync('python3', [SENDFILE, ...args]);
  if (r.status !== 0) throw new Error(`sendfile_client.py ${args[0]} failed: ${r.stderr}`);
  const [secs, clientCpu] = r.stdout.toString().trim().split(' ').map(Number);
  return { secs, clientCpu };
}

// The floors: the sendfile client sends the file in one request to bench/loopback_sink.py, which only receives it,
// or also writes it to a file on the same disk (through the page cache) and fsyncs it.
async function timeSink(src, output) {
  const port = await freePort();
  const sink = spawn('python3', [resolve(import.meta.dirname, 'loopback_sink.py'), String(port), ...(output ? [output] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    sink.stdout.once('data', ok);
    sink.once('exit', (code) => fail(new Error(`loopback_sink.py exited with ${code}`)));
  });
  const sent = runClient(['raw', `http://127.0.0.1:${port}/`, src]);
  if (output) rmSync(output);
  return sent;
}
const timeFloor = (_srv, src) => timeSink(src, null);
const timeFloorDisk = (_srv, src) => timeSink(src, join(work, 'sink-copy'));

const timeTusSendfile = (srv, src) => runClient(['tus', `${srv.base}/api/uploads`, srv.group, src, String(CHUNK)]);
const timeMultipartSendfile = (srv, src) =>
  runClient(['multipart', `${srv.base}/api/contests/${srv.contestId}/submission/video`, srv.group, src]);

async function timeMultipart(srv, src) {
  const r = runTimed('curl', ['-sS', '-f', '-o', '/dev/null', '-H', `Authorization: Bearer ${srv.group}`, '-F', `video=@${src}`,
    `${srv.base}/api/contests/${srv.contestId}/submission/video`]);
  if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
  return { secs: r.secs, clientCpu: r.clientCpu };
}

const FLOOR = 'floor: sendfile client into a sink that only receives (no HTTP server, no disk)';
const FLOOR_DISK = 'floor with disk: the same sink writing the body to a file and fsyncing it';
const isFloor = (mode) => mode === FLOOR || mode === FLOOR_DISK;
const rows = [];
for (const size of SIZES) {
  const src = join(work, `src-${size}`);
  await makeFile(src, size);
  cutPieces(src);
  const methods = [
    [FLOOR, timeFloor],
    [FLOOR_DISK, timeFloorDisk],
    ['tus (tus-js-client), 50 MB chunks', timeTus],
    ['tus (curl), 50 MB chunks', timeTusCurl],
    ['tus (sendfile client), 50 MB chunks', timeTusSendfile],
    ['multipart (curl)', timeMultipart],
    ['multipart (sendfile client)', timeMultipartSendfile],
  ];
  for (const [mode, fn] of methods.filter(([m]) => !METHODS || m.includes(METHODS))) {
    // This machine's disk and memory change speed from minute to minute (the host takes back free memory after a
    // few seconds, and the next writer pays to fault it in again), so each upload is paired with the two copies made
    // just before it, once its server is up, and the ratios are taken pair by pair.
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const srv = isFloor(mode) ? null : await serverFor(size);
      try {
        const cp = timeCp(src, false);
        const cpSync = timeCp(src, true);
        if (srv) resetPeak(srv.pid);
        const cpu0 = srv ? cpuSecs(srv.pid) : NaN;
        const { secs, clientCpu } = await fn(srv, src, size);
        const rss = srv ? peakRssMiB(srv.pid) : NaN;
        const cpu = srv ? cpuSecs(srv.pid) - cpu0 : NaN;
        runs.push({ secs, rss, cpu, clientCpu, cp, cpSync, ratio: cp / secs, durable: cpSync / secs });
      } finally {
        await srv?.stop();
      }
    }
    const secs = median(runs.map((r) => r.secs));
    const rss = Math.max(...runs.map((r) => r.rss));
    rows.push({
      size: size / MiB, mode, secs, mbps: size / MiB / secs, rss, cpu: median(runs.map((r) => r.cpu)),
      clientCpu: median(runs.map((r) => r.clientCpu)),
      cp: median(runs.map((r) => r.cp)), cpSync: median(runs.map((r) => r.cpSync)),
      ratio: median(runs.map((r) => r.ratio)), durable: median(runs.map((r) => r.durable)),
      durableAll: runs.map((r) => r.durable),
    });
    console.log(rows.at(-1));
  }
  rmSync(src);
  rmSync(join(work, 'pieces'), { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
if (METHODS || process.env.SIZES_MIB) process.exit(0);

const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown CPU';
const pct = (x) => `${Math.round(x * 100)} %`;
const servers = rows.filter((r) => !isFloor(r.mode));
const byMode = (size, prefix) => rows.find((x) => x.size === size && x.mode.startsWith(prefix));
const floorDiskOf = (r) => rows.find((x) => x.size === r.size && x.mode === FLOOR_DISK);
const floorOf = (r) => rows.find((x) => x.size === r.size && x.mode === FLOOR);
const spread = (r) => `${pct(Math.min(...r.durableAll))}–${pct(Math.max(...r.durableAll))}`;
const table = [
  `| file | method | time (median of ${RUNS}) | MiB/s | vs \`cp\` + fsync: median (runs) | vs the floor | vs the floor with disk | vs plain \`cp\` | server CPU | client CPU | server peak RSS |`,
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.size} MiB | ${r.mode} | ${r.secs.toFixed(2)} s | ${r.mbps.toFixed(0)} | ${pct(r.durable)} (${spread(r)}) | ${r.mode === FLOOR ? '100 %' : pct(floorOf(r).secs / r.secs)} | ${r.mode === FLOOR ? '—' : pct(floorDiskOf(r).secs / r.secs)} | ${pct(r.ratio)} | ${isFloor(r.mode) ? '—' : `${r.cpu.toFixed(2)} s`} | ${r.clientCpu.toFixed(2)} s | ${isFloor(r.mode) ? '—' : `${r.rss.toFixed(1)} MiB`} |`),
].join('\n');
const baselines = SIZES.map((size) => {
  const r = rows.find((x) => x.size === size / MiB);
  return `${size / MiB} MiB: \`cp\` ${r.cp.toFixed(2)} s, \`cp\` + fsync ${r.cpSync.toFixed(2)} s`;
}).join('; ');
const range = (xs) => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}`;
const peak = Math.max(...servers.map((r) => r.rss));
const met = servers.filter((r) => r.durable >= 0.9).map((r) => `${r.size} MiB ${r.mode}`);
const section = `## Upload ingest (issue: resumable uploads)

Measured by \`node bench/upload.mjs\` on ${new Date().toISOString().slice(0, 10)}, ${cpu}, 2 cores, release build,
SQLite + local media folder on the same disk as the copies. Each run starts a fresh \`clipjury serve\` (workers on, as
by default), copies the file twice (\`cp\`, then \`cp\` + fsync of the copy), then sends the file over loopback, and
reads the server's CPU time (user + system, median) and peak RSS (VmHWM, reset just before the upload so set-up and login do not count). Ratios are taken
run by run against the copies made just before (this machine's disk and memory speed drift from minute to minute: the
host takes free memory back after a few seconds and the next writer pays to fault it in again), then the median.
Clients: tus-js-client (what the phones run); curl (the same 50 MB PATCHes over one connection, from pieces cut
beforehand; multipart with \`-F\`); and \`bench/sendfile_client.py\`, which sends with sendfile(2) so the client costs
the shared 2 cores as little as possible (its own start-up not counted). Timings include the client.

**Baselines** (medians): ${baselines}. An upload ends durable — the last tus PATCH (and a multipart upload) returns
only when every byte is on disk; earlier PATCHes are answered once their bytes are written (2 MiB blocks with direct
I/O, the tail through the page cache) and flushed by the last one — so \`cp\` + fsync is the like-for-like copy to the same disk. Plain \`cp\` is one copy inside the page
cache (copy_file_range) and is shown for reference. **The floor** is the same file sent by the sendfile client in one request to
\`bench/loopback_sink.py\`, which only receives it into a 1 MiB buffer and throws it away: what the loopback socket
alone costs here, so no server that stores the bytes can be faster. **The floor with disk** is the same sink writing
what it receives to a file on the same disk and fsyncing it before it answers: the least any server that stores an
upload durably must do, with no HTTP framework, no database and no resumability. Idle server: ${idle.rss.toFixed(1)} MiB RSS (${idle.anon.toFixed(1)} MiB anonymous,
${idle.file.toFixed(1)} MiB mapped files; FFmpeg runs in \`clipjury-media\` child processes).

${table}

Against the targets: throughput vs \`cp\` + fsync ${range(servers.map((r) => r.durable))} (target ≥ 90 %: ${met.length === servers.length ? 'met by every method' : met.length ? `met by ${met.join(', ')}; not by ${servers.filter((r) => r.durable < 0.9).map((r) => `${r.size} MiB ${r.mode}`).join(', ')}` : 'not met'});
the floor reaches ${range(rows.filter((r) => r.mode === FLOOR).map((r) => r.durable))} of \`cp\` + fsync, the floor with disk ${range(rows.filter((r) => r.mode === FLOOR_DISK).map((r) => r.durable))}
(the most an HTTP receiver that stores the bytes durably can expect on this machine), and clipjury ${range(servers.filter((r) => r.size === 1024).map((r) => floorDiskOf(r).secs / r.secs))} of the floor with disk at 1024 MiB.
The clients run on the same 2 cores as the server: for 1024 MiB by tus, tus-js-client spent ${byMode(1024, 'tus (tus-js-client)').clientCpu.toFixed(2)} s of CPU, curl ${byMode(1024, 'tus (curl)').clientCpu.toFixed(2)} s and the sendfile client ${byMode(1024, 'tus (sendfile').clientCpu.toFixed(2)} s,
against the server's ${byMode(1024, 'tus (sendfile').cpu.toFixed(2)} s, and tus-js-client in Node took ${(byMode(1024, 'tus (tus-js-client)').secs / byMode(1024, 'tus (curl)').secs).toFixed(1)}× as long as curl sending the same 50 MB PATCHes to the same server:
the rows of the costlier clients measure the client as much as the server (and a phone on mobile data sends far slower than any of them).
Peak RSS ${Math.min(...servers.map((r) => r.rss)).toFixed(1)}–${peak.toFixed(1)} MiB (target ≤ 64 MB = 61.0 MiB: ${peak <= 61 ? 'met' : 'not met'};
the same at 100 MiB and 1 GiB: the server never holds a chunk or a file, it streams 2 MiB blocks to disk).
`;
const doc = resolve(import.meta.dirname, '../docs/benchmarks.md');
const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n\nFigures measured on the project machine; each section says how.\n';
const start = old.indexOf('## Upload ingest');
const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
const updated = start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : `\n${old.slice(next + 1)}`}`;
writeFileSync(doc, updated);
console.log(`wrote ${doc}`);
