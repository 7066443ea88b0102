// The "Load" section of docs/benchmarks.md, from the figures bench/load.mjs measured.

const RATIO_GOAL = 0.3;
const P99_GOAL_MS = 20;
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const ms = (x) => `${x.toFixed(1)} ms`;
const meets = (r) => r.ratio >= RATIO_GOAL && r.p99 <= P99_GOAL_MS;

function table(run) {
  const rows = run.results.map((r) => `| ${r.name} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.helloRps.toFixed(0)} | ${ms(r.helloP99)} | **${pct(r.ratio)}** (${pct(Math.min(...r.rounds.map((x) => x.ratio)))}–${pct(Math.max(...r.rounds.map((x) => x.ratio)))}) | ${r.non2xx} of ${r.requests} | ${r.serverCpu.toFixed(2)} / ${r.wrkCpu.toFixed(2)} | ${r.loads.map((l) => l.toFixed(1)).join(' → ')} | ${meets(r) ? 'met' : 'missed'} |`);
  return [
    '| endpoint | rps | p50 | p99 | hello-world rps | hello-world p99 | ratio to hello-world: median (runs) | non-2xx or socket errors | CPU server / wrk (cores) | load average | goals |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function saveCheck(run) {
  const s = run.results.find((r) => r.check);
  if (!s) return '';
  const c = s.check;
  return `Score saves on ${run.kind}: ${c.acked} saves acknowledged over ${s.cards} cards, ${c.applied} applied (the difference, ${c.applied - c.acked}, is saves in flight when wrk stopped each run: applied, never answered), **${c.lost} acknowledged saves missing**, ${c.starved} requests without a free card.`;
}

function concurrentRow(run) {
  const c = run.concurrent;
  if (!c) return `| ${run.kind} | not run | | | | |`;
  return `| ${run.kind} | ${c.saves} saves + ${c.submitted} submits acknowledged over ${c.cards} cards, ${c.refused} refused${c.refused ? ` (${c.refusedCodes.join(', ')})` : ''} | ${c.uploads} uploads (${c.patches} PATCHes) done in ${c.uploadSecs.toFixed(1)} s, all ready after ${c.readySecs.toFixed(1)} s | **${c.lost}** | ${c.submitted - c.notFinal} of ${c.cards} final | ${c.videosReady} of ${c.uploads} |`;
}

export function section(m) {
  const all = m.runs.flatMap((run) => run.results.map((r) => ({ ...r, kind: run.kind })));
  const missed = all.filter((r) => !meets(r)).map((r) => `${r.name} on ${r.kind} (${pct(r.ratio)}, p99 ${ms(r.p99)})`);
  const helloRps = all.map((r) => r.helloRps);
  return `## Load: API at 32 connections (issue 15)

Measured by \`scripts/with-postgres.sh node bench/load.mjs\` on ${m.date}, ${m.cpu}, ${m.cores} cores shared with other
engineers' builds, release build (\`cargo build --release --bin clipjury --bin clipjury-media --example hello\`),
${m.pgVersion.replace(/^psql /, '')} (the throwaway cluster of \`scripts/with-postgres.sh\`: fsync off) and SQLite
(WAL, a file on the same disk). Load generator: Debian's wrk 4.1 on loopback, ${m.threads} threads, ${m.connections}
connections, ${m.seconds} s per run, Lua scripts in \`bench/load/\` counting every status. The server is \`clipjury serve\` with its
defaults (in-process media worker idle by then, log level \`info\`), on a contest of ${m.groups} groups with ready
videos (the 3 s \`compliant-640x360.mp4\`, uploaded through the API) and ${m.jurors} jurors.

**The baseline** is \`examples/hello.rs\`: an actix-web handler answering "Hello, world!", the same actix-web and
worker count (one per core) and release profile, started beside the server. wrk runs on the same 2 cores as the
server it measures (its CPU is in the table), and other engineers' builds come and go, so absolute figures mean
little here: each endpoint is measured in ${m.runsPer} rounds of hello-world then the endpoint (A/B/A/B, after one warm-up run
of each), the ratio is taken round by round and the median reported. Rps and latencies are medians of the rounds; the
load average is the 1-minute figure before and after the series.

- **juror entry list**: \`GET /api/contests/{id}/entries\` with a juror's Bearer token (the ${m.jurors} jurors in turn): the
  ${m.groups} entries with the juror's progress on each.
- **score save**: \`PUT /api/contests/{id}/entries/{entry}/score\` over all ${m.groups * m.jurors} (juror, entry) cards, split between
  wrk's threads; a card is saved again only after the answer to its last save, with the version that answer carried (so
  no 409 \`stale-version\` in a correct run), and every save changes the marks (a real write, audit row included).
  Before and after each run every card is read back.
- **public results (API)**: \`GET /api/public/contests/{slug}/results\` of the published contest, anonymous; **public
  results page (HTML)**: \`GET /c/{slug}/results\`, the page with its link-preview tags (the web folder holds only an
  index.html, so the page is served without building the web app; its assets are static files and are not measured).
  No \`Accept-Encoding\`: responses are not compressed, as hello-world's.

Goals: ≥ ${pct(RATIO_GOAL)} of hello-world's requests per second and p99 ≤ ${P99_GOAL_MS} ms, each endpoint on each database.

${m.runs.map((run) => `**${run.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}**\n\n${table(run)}`).join('\n\n')}

${m.runs.map(saveCheck).filter(Boolean).join('\n')}

Hello-world answered ${Math.min(...helloRps).toFixed(0)}–${Math.max(...helloRps).toFixed(0)} requests per second across the series (medians), which shows how
much the machine's other load moved under the runs. **Goals: ${missed.length ? `missed by ${missed.join('; ')}; met by the rest` : 'met by every endpoint on both databases'}.**

**3 jurors scoring while 6 groups upload.** On the same server, in a contest in judging with 6 ready entries, 3 jurors
save drafts of their 6 cards in a loop, one request at a time each (every save sends the version the previous answer
carried, as the web app's autosave), while in a second contest 6 groups upload \`android-portrait.mp4\` (3.5 MB, 1080x1920)
at the same time by tus in 512 KiB PATCHes and the in-process worker transcodes them; the jurors go on until every
video is ready, then submit every card. Then each card is read back: its version must equal the saves and submits the
server acknowledged (\`lost\` counts the difference), and it must be final.

| database | juror writes | uploads | lost writes | cards final | videos ready |
|---|---|---|---|---|---|
${m.runs.map(concurrentRow).join('\n')}
`;
}
