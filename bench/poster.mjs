// Time from "upload complete" to "poster available": a release server with its in-process worker, the 60 s
// 1080x1920 phone-like clip uploaded with tus-js-client, then the submission polled every 50 ms until it has a
// poster URL. Median of 3 uploads (each a new group). Prints the figures; bench/media.sh covers the rest.
//
//   node bench/poster.mjs            (after `cargo build --release`; CLIPJURY_BIN overrides the binary)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tus from 'tus-js-client';

process.env.CLIPJURY_BIN ??= resolve(import.meta.dirname, '../target/release/clipjury');
const { startServer } = await import('../tests/interop/support/server.mjs');

const work = mkdtempSync('/var/tmp/clipjury-poster-');
const clip = join(work, 'phone.mp4');
const made = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1080x1920:rate=30,noise=alls=30:allf=t',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '60', '-c:v', 'libx264', '-preset', 'veryfast',
  '-b:v', '12M', '-maxrate', '12M', '-bufsize', '24M', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', clip]);
if (made.status !== 0) throw new Error(String(made.stderr));
const file = readFileSync(clip);

const srv = await startServer({ env: { CLIPJURY_WORKER__IN_PROCESS: 'true' } });
const times = [];
try {
  for (let i = 0; i < 3; i++) {
    const p = (await srv.api('POST', `/api/contests/${srv.contestId}/participants`, srv.admin, { role: 'group', name: `Poster ${i}` })).json;
    const redeemed = await fetch(`${srv.base}/api/invites/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: p.invite.token }) });
    const group = /clipjury_session=([^;]+)/.exec(redeemed.headers.get('set-cookie'))[1];
    await srv.api('PUT', `/api/contests/${srv.contestId}/submission`, group, { title: 'Poster', key_message: 'K', consent_confirmed: true });
    await new Promise((ok, fail) => new tus.Upload(file, {
      endpoint: `${srv.base}/api/uploads`, chunkSize: 50_000_000, headers: { Authorization: `Bearer ${group}` }, onSuccess: ok, onError: fail,
    }).start());
    const done = performance.now();
    for (;;) {
      const s = (await srv.api('GET', `/api/contests/${srv.contestId}/submission`, group)).json;
      if (s.latest_video?.poster_url || s.current_video?.poster_url) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    times.push((performance.now() - done) / 1000);
    console.log(`upload ${i + 1}: poster after ${times.at(-1).toFixed(2)} s`);
    // Let the transcode finish before the next upload, so each measurement starts with an idle worker.
    for (;;) {
      const s = (await srv.api('GET', `/api/contests/${srv.contestId}/submission`, group)).json;
      if (s.status === 'ready' || s.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
} finally {
  await srv.stop();
  rmSync(work, { recursive: true, force: true });
}
const median = [...times].sort((a, b) => a - b)[1];
console.log(`median time from upload complete to poster available: ${median.toFixed(2)} s`);

const { existsSync, writeFileSync } = await import('node:fs');
const section = `## Poster latency (issue: media pipeline)

Measured by \`node bench/poster.mjs\` on ${new Date().toISOString().slice(0, 10)}: a release \`clipjury serve\` with its in-process
worker (default 250 ms poll), the 60 s 1080x1920 ~12 Mb/s phone-like clip uploaded with tus-js-client, then the
submission polled every 50 ms. Time from the upload's last PATCH to the poster URL appearing (job pick-up, copy of
the original out of storage, probe, six posters stored): ${times.map((t) => `${t.toFixed(2)} s`).join(', ')}; **median ${median.toFixed(2)} s**
(target ≤ 2 s).
`;
const doc = resolve(import.meta.dirname, '../docs/benchmarks.md');
const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Benchmarks\n';
const start = old.indexOf('## Poster latency');
const next = start < 0 ? -1 : old.indexOf('\n## ', start + 1);
writeFileSync(doc, start < 0 ? `${old.trimEnd()}\n\n${section}` : `${old.slice(0, start)}${section}${next < 0 ? '' : old.slice(next + 1)}`);
console.log(`wrote ${doc}`);
