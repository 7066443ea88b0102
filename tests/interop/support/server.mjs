// Starts a real clipjury server on a free 127.0.0.1 port with a fresh data folder, and prepares an open contest
// with one group whose submission form is saved. Uses the binary the Rust build made (CLIPJURY_BIN). Media workers
// are off: these tests are about the bytes, and random bytes would only fail processing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

const BIN = process.env.CLIPJURY_BIN ?? resolve(import.meta.dirname, '../../../target/debug/clipjury');

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on('error', fail);
  });
}

async function waitReady(base, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`clipjury exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('clipjury did not become ready');
}

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

export async function startServer({ env = {}, maxUploadBytes = 200_000_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'clipjury-interop-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['--database-url', `sqlite://${join(dir, 'db.sqlite')}`, '--media-dir', join(dir, 'media'), '--listen', `127.0.0.1:${port}`, '--log-level', process.env.BENCH_LOG_LEVEL ?? 'warn'];
  const password = 'interop password 123';
  const created = spawnSync(BIN, [...args, 'admin', 'create', '--email', 'admin@example.org'], { input: `${password}\n` });
  if (created.status !== 0) throw new Error(`admin create failed: ${created.stderr}`);
  const child = spawn(BIN, [...args, 'serve'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CLIPJURY_WORKER__IN_PROCESS: 'false', ...env } });
  await waitReady(base, child);

  const admin = (await api(base, 'POST', '/api/auth/login', null, { email: 'admin@example.org', password })).json.token;
  const contest = (await api(base, 'POST', '/api/contests', admin, { title: 'Interop', max_upload_bytes: maxUploadBytes })).json;
  await api(base, 'POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'open' });
  const participant = (await api(base, 'POST', `/api/contests/${contest.id}/participants`, admin, { role: 'group', name: 'Group 1' })).json;
  const redeemed = await api(base, 'POST', '/api/invites/redeem', null, { token: participant.invite.token });
  const group = /clipjury_session=([^;]+)/.exec(redeemed.res.headers.get('set-cookie'))[1];
  await api(base, 'PUT', `/api/contests/${contest.id}/submission`, group, {
    title: 'Interop clip', key_message: 'Respect', consent_confirmed: true,
  });

  return {
    base,
    port,
    pid: child.pid,
    admin,
    group,
    inviteToken: participant.invite.token,
    contestId: contest.id,
    api: (method, path, token, body) => api(base, method, path, token, body),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
