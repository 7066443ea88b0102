// tus-js-client (the official client) against clipjury's tus server: resumption through dropped connections and
// across a "page reload" with the stored upload URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as tus from 'tus-js-client';

import { startServer } from './support/server.mjs';
import { startProxy } from './support/proxy.mjs';

const MB = 1024 * 1024;

function upload(file, endpoint, token, options = {}) {
  return new tus.Upload(file, {
    endpoint,
    chunkSize: 5 * MB,
    retryDelays: Array(30).fill(100),
    headers: { Authorization: `Bearer ${token}` },
    metadata: { filename: 'phone-clip.mp4', filetype: 'video/mp4' },
    removeFingerprintOnSuccess: true,
    ...options,
  });
}

function run(u) {
  return new Promise((resolve, reject) => {
    u.options.onSuccess = resolve;
    u.options.onError = reject;
    u.start();
  });
}

async function originalSha256(srv) {
  const list = (await srv.api('GET', `/api/contests/${srv.contestId}/submissions`, srv.admin)).json;
  const res = await fetch(`${srv.base}/api/contests/${srv.contestId}/submissions/${list[0].id}/original`, {
    headers: { authorization: `Bearer ${srv.admin}` },
  });
  assert.equal(res.status, 200);
  return createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex');
}

function assertNoByteSentTwice(log) {
  // Every PATCH starts exactly where the server said the upload stood: no byte is sent twice.
  const seen = new Set(log.responses);
  for (const [i, offset] of log.patches.entries()) {
    if (i === 0 && offset === 0) continue;
    assert.ok(seen.has(offset), `PATCH at ${offset} does not continue from any offset the server reported`);
  }
  const starts = log.patches.filter((o, i) => log.patches.indexOf(o) === i);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'offsets only move forward');
}

test('a 52 MB upload survives six dropped connections and arrives byte-identical', { timeout: 180_000 }, async () => {
  const srv = await startServer();
  const proxy = await startProxy(srv.port, { dropAfterBytes: 2 * MB, maxDrops: 6 });
  try {
    const file = randomBytes(52 * MB);
    const expected = createHash('sha256').update(file).digest('hex');
    await run(upload(file, `http://127.0.0.1:${proxy.port}/api/uploads`, srv.group));
    assert.ok(proxy.log.drops >= 5, `only ${proxy.log.drops} drops happened`);
    assert.equal(await originalSha256(srv), expected);
    const sub = (await srv.api('GET', `/api/contests/${srv.contestId}/submission`, srv.group)).json;
    assert.equal(sub.status, 'processing');
    assert.equal(sub.latest_video.source_bytes, file.length);
  } finally {
    await proxy.close();
    await srv.stop();
  }
});

test('a new client resumes from the stored upload URL after a reload and no byte is sent twice', { timeout: 180_000 }, async () => {
  const srv = await startServer();
  const proxy = await startProxy(srv.port);
  try {
    const file = randomBytes(50 * MB);
    const expected = createHash('sha256').update(file).digest('hex');
    const endpoint = `http://127.0.0.1:${proxy.port}/api/uploads`;
    let storedUrl = null;
    await new Promise((resolve, reject) => {
      const first = upload(file, endpoint, srv.group, {
        onError: reject,
        onSuccess: () => reject(new Error('should have been abandoned')),
        onChunkComplete: (_size, sent, total) => {
          storedUrl = first.url; // what the web app keeps in localStorage
          if (sent >= total / 2) first.abort(false).then(resolve, reject);
        },
      });
      first.start();
    });
    assert.ok(storedUrl, 'the first client had an upload URL');
    const head = await fetch(storedUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', authorization: `Bearer ${srv.group}` } });
    const resumeAt = Number(head.headers.get('upload-offset'));
    assert.ok(resumeAt >= 25 * MB && resumeAt < 50 * MB, `offset after abandoning: ${resumeAt}`);

    const second = upload(file, endpoint, srv.group, { uploadUrl: storedUrl });
    await run(second);
    const secondStart = proxy.log.patches.find((o) => o >= resumeAt);
    assert.equal(secondStart, resumeAt, 'the new client started where the server stopped');
    assertNoByteSentTwice(proxy.log);
    assert.equal(await originalSha256(srv), expected);
  } finally {
    await proxy.close();
    await srv.stop();
  }
});
