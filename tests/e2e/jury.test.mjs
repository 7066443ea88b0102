// The juror panel: a juror on a phone scores with the touch targets and submits; a juror on a laptop scores with the
// number keys; a juror recuses; the same card edited in two tabs shows the conflict message. axe on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launchBrowser, phoneContext, desktopContext, axeCheck, shot, pageErrors, strings } from './support/harness.mjs';

const km = strings('km');

const CRITERIA = [/^Message/, /^Creativity/, /^Technical quality/, /^Impact on the audience/, /^Respect and consent/];

let app, browser, contest;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const admin = await app.admin();
  contest = await app.createContest(admin, {
    title: 'ICT for gender equality',
    groups: ['Phnom Penh girls code', 'Siem Reap media club', 'Battambang youth'],
    jurors: ['Sokha', 'Dara', 'Vanna'],
    anonymised: true,
    open: true,
  });
  await Promise.all(['Equal at the keyboard', 'Her phone, her voice', 'Fix it together'].map((title, i) =>
    app.submitEntry(contest.id, contest.invites[contest.participants.filter((p) => p.role === 'group')[i].name], { title })));
  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'judging' });
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function scoreWithTaps(page, values) {
  for (const [i, name] of CRITERIA.entries()) {
    await page.getByRole('group', { name }).getByRole('radio', { name: String(values[i]), exact: true }).tap();
  }
}

test('a juror on a phone lands on the panel, scores an entry with taps, sees it saved and submits', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  const videoRequests = [];
  page.on('request', (r) => {
    if (/\/api\/videos\/.*\.mp4/.test(r.url())) videoRequests.push(r.url());
  });
  await app.openInvite(page, contest.invites.Sokha);
  await page.waitForURL(`**/jury/${contest.id}`);
  await page.getByText('0 / 3 final').waitFor();
  // The blind rule: entries are numbered, group names never shown.
  assert.equal(await page.getByText(/Phnom Penh|Siem Reap|Battambang/).count(), 0);
  await axeCheck(page, 'juror entry list');
  await shot(page, 'jury-phone-01-list', { fullPage: true });

  await page.getByRole('link', { name: 'Next entry to score' }).first().tap();
  await page.getByRole('heading', { name: 'Your scores' }).waitFor();
  // Poster first: no video element (and no video bytes) until the juror taps play.
  assert.equal(await page.locator('video').count(), 0);
  await axeCheck(page, 'juror entry (poster)');
  assert.deepEqual(videoRequests, [], 'no video bytes before the juror taps play');
  await page.getByRole('button', { name: /^Play the video/ }).tap();
  const src = await page.locator('video').getAttribute('src');
  assert.match(src, /360p/, 'a phone starts with the 360p rendition');
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 1);
  assert.ok(videoRequests.some((u) => u.includes('360p')), 'the 360p file was fetched after the tap');
  await page.getByRole('radio', { name: /720p/ }).tap();
  assert.match(await page.locator('video').getAttribute('src'), /720p/);
  await page.getByRole('radio', { name: /360p/ }).tap();

  await scoreWithTaps(page, [8, 7, 9, 6, 10]);
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.getByLabel('Feedback for the group').fill('A clear message, and the girls lead the story. Film closer to hear the voices.');
  await page.getByLabel('Private comment').fill('Strong candidate for the top 3.');
  await page.getByText('✓ Saved').waitFor();
  await axeCheck(page, 'juror entry (scored)');
  await shot(page, 'jury-phone-02-scored');
  await page.getByRole('group', { name: CRITERIA[0] }).scrollIntoViewIfNeeded();
  await shot(page, 'jury-phone-03-criteria');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'jury-phone-00-entry'); // docs/screenshots/juror-panel-phone.png

  await page.getByRole('button', { name: 'Submit final scores' }).tap();
  await page.getByText('Your scores for this entry are final').waitFor();
  assert.equal(await page.getByRole('group', { name: CRITERIA[0] }).getByRole('radio', { name: '8', exact: true }).isDisabled(), true);
  await axeCheck(page, 'juror entry (final)');
  await page.getByRole('link', { name: 'All entries' }).first().tap();
  await page.getByText('1 / 3 final').waitFor();

  // The card is final on the server too.
  const token = await app.admin();
  const cards = await app.api('GET', `/api/contests/${contest.id}/scores`, token);
  assert.ok(JSON.stringify(cards).includes('A clear message'), 'feedback stored');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a juror on a laptop scores with the number keys and the video starts at 720p', async () => {
  const ctx = await desktopContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await app.openInvite(page, contest.invites.Dara);
  await page.getByRole('link', { name: 'Next entry to score' }).click();
  await page.getByRole('heading', { name: 'Your scores' }).waitFor();
  await page.getByText('number keys score the highlighted criterion').waitFor();
  await page.getByRole('button', { name: /^Play the video/ }).click();
  assert.match(await page.locator('video').getAttribute('src'), /720p/);
  await page.locator('h1').click(); // focus on the page, not on the player's controls
  for (const key of ['6', '7', '8', '9', '0']) await page.keyboard.press(key);
  for (const [i, want] of ['6', '7', '8', '9', '10'].entries()) {
    assert.equal(await page.getByRole('group', { name: CRITERIA[i] }).getByRole('radio', { name: want, exact: true }).isChecked(), true);
  }
  // Typing digits in a comment must not change a score.
  await page.getByLabel('Private comment').fill('Scored 5 out of 5 for effort');
  await page.getByText('✓ Saved').waitFor();
  assert.equal(await page.getByRole('group', { name: CRITERIA[4] }).getByRole('radio', { name: '10', exact: true }).isChecked(), true);
  await axeCheck(page, 'juror entry (desktop)');
  await shot(page, 'jury-desktop-scored');
  await page.getByRole('button', { name: 'Submit final scores' }).click();
  await page.getByText('Your scores for this entry are final').waitFor();
  await page.getByRole('link', { name: 'Next entry to score' }).click();
  await page.getByText('Entry 2 of 3').waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a laptop with the browser\'s data saver on starts at 360p too', async () => {
  const ctx = await desktopContext(browser);
  await ctx.addInitScript(() => Object.defineProperty(navigator, 'connection', { value: { saveData: true } }));
  const page = await ctx.newPage();
  await app.openInvite(page, contest.invites.Dara);
  await page.getByRole('link', { name: 'Entry 1' }).click();
  await page.getByRole('button', { name: /^Play the video/ }).click();
  assert.match(await page.locator('video').getAttribute('src'), /360p/);
  await ctx.close();
});

test('a juror recuses from an entry with a reason', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  await app.openInvite(page, contest.invites.Vanna);
  await page.getByRole('link', { name: 'Next entry to score' }).tap();
  await page.getByText('I cannot judge this entry').tap();
  await page.getByLabel(/^Why\?/).fill('My sister is in this group.');
  await axeCheck(page, 'juror recusal form');
  await page.getByRole('button', { name: 'Recuse from this entry' }).tap();
  await page.getByText('You recused yourself from this entry.').waitFor();
  await page.getByText('My sister is in this group.').waitFor();
  await page.getByRole('link', { name: 'All entries' }).first().tap();
  await page.getByText('0 / 2 final').waitFor();
  await page.getByText('Recused', { exact: true }).waitFor();
  // The panel in Khmer.
  await page.getByRole('button', { name: 'ខ្មែរ' }).tap();
  await page.getByText(km('jury.progress', { done: 0, total: 2 })).waitFor();
  await page.getByText(km('jury.state.recused'), { exact: true }).waitFor();
  await page.getByRole('link', { name: km('jury.next') }).waitFor();
  await axeCheck(page, 'juror entry list (km)');
  await shot(page, 'jury-phone-km-list', { fullPage: true });
  await page.getByRole('link', { name: km('jury.next') }).tap();
  await page.getByRole('heading', { name: km('jury.yourScores') }).waitFor();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${km('jury.entryN', { n: '\\d' })}`) }).waitFor();
  await page.getByText(km('jury.recuseOpen')).waitFor();
  await axeCheck(page, 'juror entry (km)');
  await shot(page, 'jury-phone-km-entry');
  await page.getByRole('button', { name: 'English' }).tap();
  await ctx.close();
});

test('the same score card saved from two tabs shows the conflict message, then loads the newer card', async () => {
  const ctx = await phoneContext(browser);
  const first = await ctx.newPage();
  await app.openInvite(first, contest.invites.Vanna);
  await first.getByRole('link', { name: 'Next entry to score' }).tap();
  await first.getByRole('heading', { name: 'Your scores' }).waitFor();
  const second = await ctx.newPage();
  await second.goto(first.url());
  await second.getByRole('heading', { name: 'Your scores' }).waitFor();

  await first.getByRole('group', { name: CRITERIA[0] }).getByRole('radio', { name: '4', exact: true }).tap();
  await first.getByText('✓ Saved').waitFor();
  await second.getByRole('group', { name: CRITERIA[0] }).getByRole('radio', { name: '9', exact: true }).tap();
  await second.getByText('These scores were changed in another tab or on another device').waitFor();
  await axeCheck(second, 'juror conflict');
  await shot(second, 'jury-phone-04-conflict');
  await second.getByRole('button', { name: 'Load the latest version' }).tap();
  await second.getByText('These scores were changed').waitFor({ state: 'detached' });
  assert.equal(await second.getByRole('group', { name: CRITERIA[0] }).getByRole('radio', { name: '4', exact: true }).isChecked(), true);
  await ctx.close();
});

test('a custom rubric: a three-point scale as buttons, a fine 0–10 scale in half points as a number field', async () => {
  const admin = await app.admin();
  const c = await app.createContest(admin, {
    title: 'Custom rubric',
    groups: ['Kep group'],
    jurors: ['Rithy'],
    open: true,
    rubric: {
      criteria: [
        { key: 'story', name: 'Story', description: 'Does it tell a story?', weight: 1, scale: { min: 1, max: 3, step: 1 } },
        { key: 'overall', name: 'Overall', description: '', weight: 2, scale: { min: 0, max: 10, step: 0.5 } },
      ],
    },
  });
  await app.submitEntry(c.id, c.invites['Kep group'], { title: 'Three girls, one camera' });
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'judging' });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await app.openInvite(page, c.invites.Rithy);
  await page.getByRole('link', { name: 'Next entry to score' }).tap();
  const story = page.getByRole('group', { name: /^Story/ });
  await story.waitFor();
  assert.equal(await story.getByRole('radio').count(), 3);
  await story.getByRole('radio', { name: '2', exact: true }).tap();
  await page.getByRole('spinbutton', { name: 'Overall' }).fill('7.5');
  await page.getByRole('spinbutton', { name: 'Overall' }).blur();
  await page.getByText('✓ Saved').waitFor();
  await axeCheck(page, 'juror custom rubric');
  await shot(page, 'jury-phone-custom-rubric');
  await page.getByRole('button', { name: 'Submit final scores' }).tap();
  await page.getByText('Your scores for this entry are final').waitFor();
  const juror = await app.redeem(c.invites.Rithy);
  const { entries } = await app.api('GET', `/api/contests/${c.id}/entries`, juror);
  const detail = await app.api('GET', `/api/contests/${c.id}/entries/${entries[0].entry_id}`, juror);
  assert.deepEqual(detail.my_score.scores, { story: 2, overall: 7.5 });
  assert.equal(detail.my_score.progress, 'final');
  assert.deepEqual(errors, []);
  await ctx.close();
});
