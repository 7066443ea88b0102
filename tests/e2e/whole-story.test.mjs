// The whole story in one test, as the people using clipjury see it: an organiser sets up a contest in the admin
// console, two groups upload from phones (one upload cut off and resumed after a reload), three jurors score (one
// recuses), the organiser decides a tie, confirms and publishes, and the public results page shows the winners with a
// link preview in the raw HTML. axe-core runs on every admin page; phone-size screenshots go to test-artifacts/e2e/.
import { test, before, after } from 'node:test';
import { gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import {
  startApp,
  launchBrowser,
  phoneContext,
  desktopContext,
  axeCheck,
  shot,
  fixture,
  pageErrors,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
} from './support/harness.mjs';

let app, browser;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const GROUPS = [
  { name: 'Group 1 – Phnom Penh', title: 'Equal at the keyboard', clip: 'compliant-640x360.mp4' },
  { name: 'Group 2 – Siem Reap', title: 'She codes, he films', clip: 'android-portrait.mp4' },
];
const JURORS = ['Sokha', 'Dara', 'Chenda'];
const CRITERIA = ['Message', 'Creativity'];

/** Scores one entry in the juror panel: each criterion's mark, then "Submit final scores". */
async function scoreEntry(page, marks) {
  for (const [criterion, mark] of Object.entries(marks)) {
    const group = page.getByRole('group', { name: new RegExp(`^${criterion}`) });
    await group.getByRole('radio', { name: String(mark), exact: true }).check({ force: true });
  }
  await page.getByRole('button', { name: 'Submit final scores' }).click();
  await page.getByText('Your scores for this entry are final').waitFor().catch(async (e) => {
    await shot(page, 'story-failed-scoring', { fullPage: true });
    throw e;
  });
}

/** A group on a phone: redeem the invite, fill the form, save it. */
async function fillGroupForm(page, invite, g) {
  await app.openInvite(page, invite);
  await page.getByRole('heading', { name: 'About your video' }).waitFor();
  await page.getByLabel('Title of your video').fill(g.title);
  await page.getByLabel('To treat and respect women equally').check();
  await page.getByLabel('Purpose').fill('Show that girls and boys can both code, film and lead.');
  await page.getByLabel('Audience').fill('Students and parents in our town');
  await page.getByLabel('Everyone in our video agreed').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('heading', { name: 'Your entry' }).waitFor();
}

test('an organiser runs a contest from set-up to published results', { timeout: 600_000 }, async () => {
  // --- The organiser signs in on a laptop and sets the contest up in the admin console. ---
  await app.admin();
  const adminCtx = await desktopContext(browser);
  const admin = await adminCtx.newPage();
  const adminErrors = pageErrors(admin);
  await admin.goto(`${app.base}/login`);
  await admin.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await admin.getByLabel('Password').fill(ADMIN_PASSWORD);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('heading', { name: 'Your contests' }).waitFor();
  await admin.getByLabel('Contest title').fill('Use ICT for gender equality');
  await admin.getByRole('button', { name: 'Create contest' }).click();
  await admin.waitForURL('**/admin/contests/*');
  await admin.getByRole('heading', { name: 'Contest settings' }).waitFor();
  const contestId = admin.url().split('/').pop();

  await admin.getByLabel('Brief', { exact: true }).fill('A one-minute phone video: how can young people use ICT for gender equality?');
  await admin.getByLabel('New key message').fill('To treat and respect women equally');
  await admin.getByRole('button', { name: 'Add', exact: true }).click();
  await admin.getByLabel('Longest video (seconds)').fill('60');
  await admin.getByLabel('Largest file (MB)').fill('200');
  await admin.getByLabel('Ranking method').selectOption('mean');
  await admin.getByRole('button', { name: 'Save changes' }).click();
  await admin.getByText('Changes saved.').first().waitFor();

  // Rubric: keep "Message" and "Creativity" of the default five, weight Message double.
  for (const n of [5, 4, 3]) await admin.getByRole('button', { name: `Remove criterion ${n}` }).click();
  await admin.getByLabel('Weight').first().fill('2');
  await admin.getByRole('button', { name: 'Save the rubric' }).click();
  await admin.locator('form', { has: admin.getByRole('heading', { name: 'Rubric' }) }).getByText('Changes saved.').waitFor();
  // Tie rule: no automatic tie-breakers, so a tie at the top goes to the organiser.
  const tieCard = admin.locator('section', { has: admin.getByRole('heading', { name: 'Tie rule' }) });
  while ((await tieCard.getByRole('button', { name: /^Remove “/ }).count()) > 0) {
    await tieCard.getByRole('button', { name: /^Remove “/ }).first().click();
  }
  await tieCard.getByRole('button', { name: 'Save the tie rule' }).click();
  await tieCard.getByText('Changes saved.').waitFor();
  const saved = await app.api('GET', `/api/contests/${contestId}`, await app.admin());
  assert.deepEqual(saved.tie_rule, []);
  assert.deepEqual(saved.rubric.criteria.map((c) => [c.name, c.weight]), [['Message', 2], ['Creativity', 1]]);

  for (const g of GROUPS) {
    await admin.getByLabel('Group name', { exact: true }).fill(g.name);
    await admin.getByRole('button', { name: 'Add a group' }).click();
    await admin.getByRole('heading', { name: g.name }).waitFor();
  }
  for (const j of JURORS) {
    await admin.getByLabel('Juror name', { exact: true }).fill(j);
    await admin.getByRole('button', { name: 'Add a juror' }).click();
    await admin.getByRole('heading', { name: j }).waitFor();
  }
  await axeCheck(admin, 'admin contest editor');
  await admin.getByRole('button', { name: 'Open for uploads' }).click();
  await admin.getByText('The contest is now “Open for uploads”.').waitFor();
  await shot(admin, 'story-01-admin-editor', { fullPage: true });

  const participants = await app.api('GET', `/api/contests/${contestId}/participants`, await app.admin());
  const invite = Object.fromEntries(participants.map((p) => [p.name, p.invite.url]));

  // --- Group 1 uploads on a phone without trouble. ---
  const g1Ctx = await phoneContext(browser);
  const g1 = await g1Ctx.newPage();
  const g1Errors = pageErrors(g1);
  const groupAssets = new Set();
  g1.on('response', (r) => /\/assets\/.+\.(js|css)$/.test(r.url()) && groupAssets.add(r.url()));
  await fillGroupForm(g1, invite[GROUPS[0].name], GROUPS[0]);
  await g1.getByLabel('Choose video').setInputFiles(fixture(GROUPS[0].clip));
  // The admin console stays out of a group's download: none of its code or strings reach the phone.
  await g1.getByText(/Uploading your video|Preparing your video|Your video is ready/).first().waitFor();
  let groupBytes = 0;
  for (const url of groupAssets) {
    const body = await (await fetch(url)).text();
    assert.ok(!body.includes('Live board') && !body.includes('Kendall'), `admin code in the group's ${url}`);
    groupBytes += gzipSync(body, { level: 9 }).length;
  }
  console.log(`group upload path: ${groupAssets.size} JS/CSS files, ${groupBytes} bytes gzipped (-9)`);
  await shot(g1, 'story-02-group1-uploading');

  // --- Group 2's upload is cut off part-way (the phone goes offline), the tab is closed, and after reopening the
  // link the same file continues from where the server stopped: no new upload is created. ---
  const g2Ctx = await phoneContext(browser);
  let g2 = await g2Ctx.newPage();
  const g2Errors = pageErrors(g2);
  await fillGroupForm(g2, invite[GROUPS[1].name], GROUPS[1]);
  const cdp = await g2Ctx.newCDPSession(g2);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 2_000_000, uploadThroughput: 300_000 });
  await g2.getByLabel('Choose video').setInputFiles(fixture(GROUPS[1].clip));
  await g2.getByText('Uploading your video').waitFor({ timeout: 20_000 });
  await g2.waitForFunction(() => (document.querySelector('.upload progress')?.value ?? 0) > 0.15, null, { timeout: 60_000 });
  await g2Ctx.setOffline(true);
  await g2.getByText('No connection — upload paused').waitFor();
  await shot(g2, 'story-03-group2-offline');
  const stored = await g2.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('clipjury.upload.')));
  assert.equal(stored.length, 1, 'the upload URL is kept in localStorage');
  await g2.close();
  await g2Ctx.setOffline(false);

  g2 = await g2Ctx.newPage();
  g2.on('pageerror', (e) => g2Errors.push(e.message));
  const created = [];
  g2.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/uploads') && created.push(r.url()));
  await app.openInvite(g2, invite[GROUPS[1].name]);
  await g2.getByText('An upload did not finish').waitFor();
  // Still a slow line, so that the resumed upload lasts long enough to be seen.
  const cdp2 = await g2Ctx.newCDPSession(g2);
  await cdp2.send('Network.enable');
  await cdp2.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 2_000_000, uploadThroughput: 500_000 });
  await g2.getByLabel('Choose video').setInputFiles(fixture(GROUPS[1].clip));
  await g2.getByText(/Continued from/).waitFor({ timeout: 20_000 }).catch(async (e) => {
    await shot(g2, 'story-failed-resume', { fullPage: true });
    throw e;
  });
  await shot(g2, 'story-04-group2-resumed');
  await cdp2.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  assert.deepEqual(created, [], 'resuming must not create a new upload');

  // The organiser watches both videos arrive on the live board (it polls by itself).
  await admin.goto(`${app.base}/admin/contests/${contestId}/live`);
  await admin.getByRole('heading', { name: 'Uploads and processing' }).waitFor();
  const board = admin.locator('section', { has: admin.getByRole('heading', { name: 'Uploads and processing' }) });
  await board.getByText('Ready: 2').waitFor({ timeout: 240_000 });
  assert.equal(await board.locator('img').count(), 2, 'a poster per group');
  await axeCheck(admin, 'admin live board');
  await shot(admin, 'story-05-admin-live', { fullPage: true });
  // The board stops polling while its tab is hidden and refreshes as soon as it is shown again.
  const polls = [];
  admin.on('request', (r) => r.url().endsWith(`/api/contests/${contestId}/submissions`) && polls.push(Date.now()));
  const setVisibility = (state) =>
    admin.evaluate((s) => {
      Object.defineProperty(document, 'visibilityState', { value: s, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await admin.waitForTimeout(5_000);
  assert.ok(polls.length >= 1, 'the board polls while visible');
  await setVisibility('hidden');
  await admin.waitForTimeout(500);
  const whileHidden = polls.length;
  await admin.waitForTimeout(9_000);
  assert.equal(polls.length, whileHidden, 'no polling while the tab is hidden');
  await setVisibility('visible');
  await app.until(() => polls.length > whileHidden, { timeout: 2_000, what: 'a refresh when the tab is shown' });

  for (const page of [g1, g2]) {
    await page.getByText('Your video is ready').waitFor({ timeout: 120_000 });
  }
  await shot(g1, 'story-06-group1-ready', { fullPage: true });
  await g1Ctx.close();
  await g2Ctx.close();
  assert.deepEqual(g1Errors, []);
  assert.deepEqual(g2Errors, []);

  // --- Judging: Sokha and Chenda on phones, Dara on a laptop. Chenda recuses from Group 1 (her niece is in it). ---
  await admin.goto(`${app.base}/admin/contests/${contestId}`);
  await admin.getByRole('button', { name: 'Close uploads and start judging' }).click();
  await admin.getByText('The contest is now “Judging”.').waitFor();

  // Sokha prefers Group 1, Dara Group 2, so that without tie-breakers both end on the same mean: a tie at place 1.
  const plans = {
    Sokha: { phone: true, marks: { [GROUPS[0].title]: { Message: 9, Creativity: 9 }, [GROUPS[1].title]: { Message: 7, Creativity: 7 } } },
    Dara: { phone: false, marks: { [GROUPS[0].title]: { Message: 7, Creativity: 7 }, [GROUPS[1].title]: { Message: 9, Creativity: 9 } } },
    Chenda: { phone: true, recuse: GROUPS[0].title, marks: { [GROUPS[1].title]: { Message: 8, Creativity: 8 } } },
  };
  for (const [juror, plan] of Object.entries(plans)) {
    const ctx = plan.phone ? await phoneContext(browser) : await desktopContext(browser);
    const page = await ctx.newPage();
    const errors = pageErrors(page);
    await app.openInvite(page, invite[juror]);
    await page.waitForURL(`**/jury/${contestId}`);
    for (const g of GROUPS) {
      await page.getByRole('link', { name: new RegExp(g.title) }).first().click();
      await page.getByRole('heading', { name: 'Your scores' }).waitFor();
      if (plan.recuse === g.title) {
        await page.getByText('I cannot judge this entry').click();
        await page.getByLabel('Why? (the organisers see this)').fill('My niece is in this group.');
        await page.getByRole('button', { name: 'Recuse from this entry' }).click();
        await page.getByText('You recused yourself from this entry.').waitFor();
      } else {
        await scoreEntry(page, plan.marks[g.title]);
      }
      await shot(page, `story-07-juror-${juror}-${g.title}`);
      await page.goto(`${app.base}/jury/${contestId}`);
    }
    await page.getByText('You have scored every entry').waitFor();
    assert.deepEqual(errors, [], `${juror}'s page errors`);
    await ctx.close();
  }

  // The live board's judging matrix shows every card final, one recused.
  await admin.goto(`${app.base}/admin/contests/${contestId}/live`);
  const matrix = admin.locator('section', { has: admin.getByRole('heading', { name: 'Judging progress' }) });
  await matrix.locator('td.recused').first().waitFor();
  assert.equal(await matrix.locator('td.final').count(), 5);
  // Dara asks to correct a card: the organiser reopens it from the board, Dara submits it again.
  await matrix.getByRole('button', { name: `Reopen the card of Dara for ${GROUPS[0].name}` }).click();
  await matrix.getByLabel('Why are you reopening this card?').fill('Dara pressed the wrong mark.');
  await axeCheck(admin, 'admin live board, reopening a card');
  await matrix.getByRole('button', { name: 'Reopen the card', exact: true }).click();
  await matrix.getByText('The card is open again').waitFor();
  await app.until(async () => (await matrix.locator('td.final').count()) === 4, { timeout: 10_000, what: 'the reopened card' });
  const daraCtx = await desktopContext(browser);
  const dara = await daraCtx.newPage();
  await app.openInvite(dara, invite.Dara);
  await dara.waitForURL(`**/jury/${contestId}`);
  await dara.getByRole('link', { name: new RegExp(GROUPS[0].title) }).first().click();
  await scoreEntry(dara, plans.Dara.marks[GROUPS[0].title]);
  await daraCtx.close();
  await app.until(async () => (await matrix.locator('td.final').count()) === 5, { timeout: 10_000, what: 'the board to refresh' });

  // --- Results: a tie at place 1; paper sheets with errors are refused line by line; close, decide, confirm, publish. ---
  await admin.goto(`${app.base}/admin/contests/${contestId}/results`);
  await admin.getByRole('heading', { name: 'Ties to decide' }).waitFor();
  await admin.getByRole('heading', { name: /Tie at place 1/ }).waitFor();
  await admin.getByRole('img', { name: 'Every juror’s score for every entry' }).waitFor();
  assert.equal(await admin.locator('svg.plot path').count(), 5, 'one mark per final score');
  await admin.getByLabel('Import paper score sheets (CSV)').setInputFiles({
    name: 'sheet.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('juror,entry,message,creativity\nNobody,Entry 1,8,8\nSokha,Entry 9,11,8\n'),
  });
  await admin.getByRole('button', { name: 'Import', exact: true }).click();
  const refusal = admin.getByRole('alert').filter({ hasText: 'The score sheet has errors' });
  await refusal.waitFor();
  assert.ok((await refusal.locator('li').count()) >= 2, 'each bad line is listed');
  await axeCheck(admin, 'admin results (judging)');

  const scoresCsv = await adminCtx.request.get(`${app.base}/api/contests/${contestId}/scores.csv`);
  assert.equal(scoresCsv.status(), 200);
  assert.match(await scoresCsv.text(), /Chenda.*recused/);

  await admin.getByRole('button', { name: 'Close judging' }).click();
  await admin.getByText('The contest is now “Closed”.').waitFor();
  // Publishing before the tie is decided and the winners confirmed is refused with a translated reason.
  await admin.getByRole('button', { name: 'Publish the results' }).click();
  await admin.getByText(/must be decided before the results can be published|Confirm the winners before publishing/).first().waitFor();

  const tie = admin.locator('form', { has: admin.getByRole('heading', { name: /Tie at place 1/ }) });
  // Group 2 first: the organiser's order, whatever order the tie was listed in.
  if ((await tie.locator('li').first().textContent()).includes(GROUPS[0].name)) {
    await tie.getByRole('button', { name: new RegExp(`^Move .*${GROUPS[0].name} down$`) }).click();
  }
  assert.match(await tie.locator('li').first().textContent(), new RegExp(GROUPS[1].name));
  await tie.getByLabel('Reason for this order').fill('The jury chair’s casting vote.');
  await tie.getByRole('button', { name: 'Decide this tie' }).click();
  await admin.getByText('The tie is decided.').waitFor();
  await admin.getByRole('button', { name: 'Confirm places 1–3' }).click();
  await admin.getByText(/Result confirmed/).waitFor();
  // Methods side by side: every method ties the two entries too. (Rank sums put Chenda's one rank on the common
  // scale of two entries, 1 × 3/2, so the recused entry is not pushed down; docs/judging.md.) Nothing is framed.
  const methods = admin.locator('section[aria-labelledby="methods-heading"]');
  await methods.waitFor();
  assert.equal(await methods.locator('td.differs').count(), 0);
  await shot(admin, 'story-08-admin-results', { fullPage: true });
  await axeCheck(admin, 'admin results (confirmed)');
  await admin.getByRole('button', { name: 'Publish the results' }).click();
  await admin.getByText('The contest is now “Published”.').waitFor();

  // Results on a phone, for the screenshot of what an organiser sees on the go.
  const adminPhone = await phoneContext(browser);
  await app.loginAdmin(adminPhone);
  const ap = await adminPhone.newPage();
  await ap.goto(`${app.base}/admin/contests/${contestId}/results`);
  await ap.getByRole('heading', { name: 'Ranking' }).waitFor();
  await axeCheck(ap, 'admin results on a phone');
  await shot(ap, 'story-09-admin-results-phone', { fullPage: true });
  // In Khmer, the admin console's own strings switch too.
  await ap.getByRole('button', { name: 'ខ្មែរ' }).click();
  await ap.getByRole('heading', { name: 'ចំណាត់ថ្នាក់', exact: true }).waitFor();
  await ap.getByRole('heading', { name: 'គណៈវិនិច្ឆ័យយល់ស្របគ្នាប៉ុណ្ណា' }).waitFor();
  await axeCheck(ap, 'admin results in Khmer');
  await shot(ap, 'story-09b-admin-results-phone-km', { fullPage: true });
  await adminPhone.close();

  // A follow-up round with the finalists: a new draft contest with the winners ticked to begin with.
  await admin.goto(`${app.base}/admin/contests/${contestId}/results`);
  const follow = admin.locator('form', { has: admin.getByRole('heading', { name: 'Follow-up round' }) });
  await follow.getByLabel(GROUPS[0].name).waitFor();
  assert.equal(await follow.getByLabel(GROUPS[0].name).isChecked(), true);
  await follow.getByLabel(GROUPS[1].name).uncheck();
  await follow.getByLabel('Title of the new contest (optional)').fill('Finalists workshop');
  await axeCheck(admin, 'admin results (published)');
  await follow.getByRole('button', { name: 'Start the follow-up round' }).click();
  await admin.getByRole('heading', { name: 'Finalists workshop', level: 1 }).waitFor();
  await admin.getByRole('heading', { name: GROUPS[0].name }).waitFor();
  assert.equal(await admin.getByRole('heading', { name: GROUPS[1].name }).count(), 0);

  await admin.goto(`${app.base}/admin/contests/${contestId}/audit`);
  await admin.getByText('contest.tie_rule').first().waitFor();
  await axeCheck(admin, 'admin audit log');
  await admin.goto(`${app.base}/admin`);
  await admin.getByRole('link', { name: 'Use ICT for gender equality', exact: true }).waitFor();
  await admin.getByRole('link', { name: 'Results of Use ICT for gender equality' }).waitFor();
  await axeCheck(admin, 'admin contest list');
  assert.deepEqual(adminErrors, []);

  const published = await app.api('GET', `/api/contests/${contestId}`, await app.admin());
  assert.equal(published.status, 'published');
  const winners = await app.api('GET', `/api/public/contests/${published.slug}/results`);
  assert.deepEqual(winners.winners.map((w) => w.group_name), [GROUPS[1].name, GROUPS[0].name], 'the tie decision holds');

  // --- The public page: Open Graph tags in the raw server response (no JavaScript), then the page on a phone. ---
  const publicUrl = `${app.base}/c/${published.slug}/results`;
  const html = await (await fetch(publicUrl)).text();
  for (const property of ['og:title', 'og:image', 'og:video']) {
    assert.match(html, new RegExp(`<meta[^>]+property="${property}"[^>]+content="[^"]+"`), `${property} in the raw HTML`);
  }
  const ogImage = /property="og:image"[^>]+content="([^"]+)"/.exec(html)[1];
  assert.equal((await fetch(ogImage.replace(/&amp;/g, '&'))).status, 200, 'og:image can be fetched');

  const pubCtx = await phoneContext(browser);
  const pub = await pubCtx.newPage();
  const pubErrors = pageErrors(pub);
  await pub.goto(publicUrl);
  await pub.getByText(GROUPS[1].name).first().waitFor().catch(async (e) => {
    await shot(pub, 'story-failed-public', { fullPage: true });
    throw e;
  });
  await pub.getByText(GROUPS[0].name).first().waitFor();
  const videos = pub.locator('video');
  assert.ok((await videos.count()) >= 2, 'a video per winner');
  for (const v of await videos.all()) {
    const poster = await v.getAttribute('poster');
    assert.ok(poster, 'each video shows its poster first');
    assert.equal((await fetch(new URL(poster, app.base))).status, 200);
  }
  const plays = await videos.first().evaluate(async (v) => {
    v.muted = true;
    if (!v.src && !v.querySelector('source')) return 'no source';
    await v.play();
    await new Promise((r) => setTimeout(r, 800));
    return v.currentTime > 0;
  });
  assert.equal(plays, true, 'the winning video plays');
  await axeCheck(pub, 'public results');
  await shot(pub, 'story-10-public-results', { fullPage: true });
  assert.deepEqual(pubErrors, []);
  await pubCtx.close();
  await adminCtx.close();
});
