// Runs wrk (Debian's `wrk`, installed when missing) with bench/load/get.lua or save.lua, and reads its result line,
// the CPU time wrk itself used, and the server's CPU time over the run.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const THREADS = Number(process.env.WRK_THREADS ?? 2);
export const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
export const SECONDS = Number(process.env.RUN_SECONDS ?? 8);

/** Installs Debian's wrk when it is not on the PATH (apt-get, with sudo when not root). */
export function ensureWrk() {
  if (spawnSync('sh', ['-c', 'command -v wrk']).status === 0) return;
  console.log('installing wrk (Debian package)');
  const sudo = process.getuid() === 0 ? '' : 'sudo ';
  const r = spawnSync('sh', ['-c', `${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq wrk`], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('installing wrk failed: apt-get install wrk');
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// Runs a program and reports its CPU time from wait4 (a small Python parent, so Node's spawning does not count).
const TIMED = `import os, sys
pid = os.spawnvp(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"CPU {usage.ru_utime + usage.ru_stime:.3f}")
sys.exit(os.waitstatus_to_exitcode(status))`;

/** A Lua list file for get.lua/save.lua: `return { {path = "...", token = "...", version = N}, ... }`. */
export function writeList(path, items) {
  const lua = (v) => (typeof v === 'number' ? String(v) : JSON.stringify(String(v)));
  const rows = items.map((item) => `  { ${Object.entries(item).map(([k, v]) => `${k} = ${lua(v)}`).join(', ')} },`);
  writeFileSync(path, `return {\n${rows.join('\n')}\n}\n`);
  return path;
}

/**
 * One wrk run of `script` (get.lua or save.lua) against `base` with the request list `list`, while `serverPid`
 * serves. Returns rps, latency percentiles (ms), status counts, the CPU wrk and the server used per second of run.
 */
export async function runWrk(script, base, list, serverPid) {
  const cpu0 = cpuSecs(serverPid);
  // Not spawnSync: Node's event loop must go on, so that its HTTP client notices kept-alive connections the server
  // closes meanwhile instead of reusing them afterwards.
  const child = spawn('python3', ['-c', TIMED, 'wrk', `-t${THREADS}`, `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--timeout', '5s',
    '-s', join(import.meta.dirname, script), base, '--', list, String(THREADS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const status = await new Promise((r) => child.once('close', r));
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (status !== 0 || !line) throw new Error(`wrk failed (${status}): ${out}\n${err}`);
  const res = JSON.parse(line.slice('RESULT '.length));
  const secs = res.duration_us / 1e6;
  const statuses = res.statuses;
  const ok = Object.entries(statuses).filter(([s]) => s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const socketErrors = res.errors.connect + res.errors.read + res.errors.write + res.errors.timeout;
  return {
    rps: res.requests / secs,
    p50: res.p50_us / 1000, p90: res.p90_us / 1000, p99: res.p99_us / 1000, max: res.max_us / 1000,
    requests: res.requests, ok, non2xx: res.requests - ok, socketErrors, statuses,
    wrkCpu: Number(/CPU ([\d.]+)/.exec(out)[1]) / secs,
    serverCpu: (cpuSecs(serverPid) - cpu0) / secs,
    acked: res.acked, starved: res.starved,
  };
}
