// "3 jurors scoring while 6 groups upload, with 0 lost writes": in one contest 3 jurors save drafts of their 6 cards
// in a loop (each save sends the version the previous answer carried, as the web app's autosave does) while, in a
// second contest of the same server, 6 groups upload a phone clip at the same time with tus (512 KiB PATCHes) and the
// in-process worker transcodes them. When every video is ready the jurors submit their cards. Then every card is
// read back: its version must equal the saves and submits the server acknowledged, and it must be final; every
// upload must have become a ready video.
import { readFileSync } from 'node:fs';
import { api, allReady, card, CRITERIA, judgingContest, openContest } from './app.mjs';

const CHUNK = 512 * 1024;

/** A tus 1.0.0 upload in fetch calls: creation, then PATCHes of CHUNK bytes. Returns the number of PATCHes. */
async function tusUpload(base, group, bytes) {
  const meta = `filename ${Buffer.from('phone.mp4').toString('base64')}`;
  const created = await fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${group}`, 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': meta },
  });
  if (created.status !== 201) throw new Error(`tus create: ${created.status} ${await created.text()}`);
  const url = new URL(created.headers.get('location'), base).href;
  let patches = 0;
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const res = await fetch(url, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${group}`, 'tus-resumable': '1.0.0', 'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
      },
      body: bytes.subarray(offset, offset + CHUNK),
    });
    if (res.status !== 204) throw new Error(`tus PATCH at ${offset}: ${res.status} ${await res.text()}`);
    patches++;
  }
  return patches;
}

/** One juror's autosave loop over their cards until `stop()`; counts acknowledged saves per entry and refusals. */
async function jurorLoop(base, c, juror, stop, tally) {
  const version = Object.fromEntries(c.entries.map((e) => [e, 0]));
  for (let round = 0; round < 3 || !stop(); round++) {
    for (const [k, entry] of c.entries.entries()) {
      const marks = CRITERIA.map((_, n) => 1 + ((round + k + n) % 10));
      const res = await fetch(`${base}/api/contests/${c.id}/entries/${entry}/score`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${juror}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scores: Object.fromEntries(CRITERIA.map((key, n) => [key, marks[n]])), version: version[entry] }),
      });
      const body = await res.json();
      if (res.status !== 200) {
        tally.refused.push(`${res.status} ${body.code}`);
        continue;
      }
      version[entry] = body.version;
      tally.acked.set(`${juror}|${entry}`, (tally.acked.get(`${juror}|${entry}`) ?? 0) + 1);
    }
  }
}

export async function jurorsWhileUploading(srv, compliantClip, phoneClip) {
  const judged = await judgingContest(srv, 'Workshop A', 6, 3, compliantClip);
  const uploading = await openContest(srv, 'Workshop B', 6, 0);
  const bytes = readFileSync(phoneClip);
  const tally = { acked: new Map(), refused: [] };
  let done = false;
  const start = performance.now();
  const uploads = (async () => {
    const patches = await Promise.all(uploading.groups.map((g) => tusUpload(srv.base, g, bytes)));
    const uploaded = performance.now();
    await allReady(srv, uploading.id, 6);
    done = true;
    return { patches: patches.reduce((a, b) => a + b, 0), uploadSecs: (uploaded - start) / 1000, readySecs: (performance.now() - start) / 1000 };
  })().finally(() => { done = true; });
  const loops = judged.jurors.map((j) => jurorLoop(srv.base, judged, j, () => done, tally));
  const [up] = await Promise.all([uploads, ...loops]);

  let submitted = 0;
  for (const juror of judged.jurors) {
    for (const entry of judged.entries) {
      await api(srv.base, 'POST', `/api/contests/${judged.id}/entries/${entry}/score/submit`, juror);
      submitted++;
    }
  }
  // Read back: every acknowledged save and submit is in the database.
  let lost = 0;
  let notFinal = 0;
  for (const juror of judged.jurors) {
    for (const entry of judged.entries) {
      const mine = await card(srv.base, judged.id, entry, juror);
      const expected = (tally.acked.get(`${juror}|${entry}`) ?? 0) + 1;
      if (mine.version !== expected) lost += Math.abs(expected - mine.version);
      if (mine.progress !== 'final') notFinal++;
    }
  }
  const subs = await api(srv.base, 'GET', `/api/contests/${uploading.id}/submissions`, srv.token);
  const saves = [...tally.acked.values()].reduce((a, b) => a + b, 0);
  return {
    saves, refused: tally.refused.length, refusedCodes: [...new Set(tally.refused)], submitted, lost, notFinal,
    cards: judged.jurors.length * judged.entries.length,
    uploads: uploading.groups.length, patches: up.patches, uploadSecs: up.uploadSecs, readySecs: up.readySecs,
    videosReady: subs.filter((s) => s.status === 'ready' && s.current_video).length,
  };
}
