// The public results page on a phone (winners with posters and a video that plays, share link, no serious axe
// violations, a not-found page for an unknown contest) and the admin's screening mode driven by the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, launchBrowser, phoneContext, desktopContext, axeCheck, shot, pageErrors } from './support/harness.mjs';

const GROUPS = ['Lotus Crew', 'Mekong Voices', 'Angkor Makers'];

let app, browser, contest;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  contest = await publishedContest();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

/** Three groups with processed clips, one juror's final scores (Lotus best), confirmed and published. */
async function publishedContest() {
  const admin = await app.admin();
  const c = await app.createContest(admin, { title: 'Gender & ICT day', groups: GROUPS, jurors: ['Juror 1'], open: true });
  for (const [i, name] of GROUPS.entries()) await app.submitEntry(c.id, c.invites[name], { title: `Video ${i + 1}`, key_message: 'Respect women equally' });
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'judging' });
  const juror = await app.redeem(c.invites['Juror 1']);
  const { entries } = await app.api('GET', `/api/contests/${c.id}/judging/progress`, admin);
  for (const [i, e] of entries.entries()) {
    const mark = 9 - i;
    const scores = { message: mark, creativity: mark, technical_quality: mark, impact: mark, respect_consent: mark };
    const path = `/api/contests/${c.id}/entries/${e.entry_id}/score`;
    await app.api('PUT', path, juror, { scores, private_comment: '', feedback: 'Well done', version: 0 });
    await app.api('POST', `${path}/submit`, juror);
  }
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'closed' });
  await app.api('POST', `/api/contests/${c.id}/results/confirm`, admin, {});
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'published' });
  return c;
}

test('the public results page shows the winners with posters and a video that plays, on a phone', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  const url = `${app.base}/c/${contest.slug}/results`;
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  await page.getByRole('heading', { level: 1, name: 'Gender & ICT day' }).waitFor();
  const winners = page.locator('article');
  assert.equal(await winners.count(), 3);
  assert.match(await winners.nth(0).innerText(), /First place[\s\S]*Video 1[\s\S]*by Lotus Crew[\s\S]*Respect women equally/);
  assert.match(await winners.nth(2).innerText(), /Third place[\s\S]*Video 3/);
  assert.equal(await page.title(), 'Results: Gender & ICT day');

  // Posters load (the crawler's og:image too), and nothing of the video before a tap.
  const videos = page.locator('article video');
  assert.equal(await videos.count(), 3);
  for (let i = 0; i < 3; i++) {
    const poster = await videos.nth(i).getAttribute('poster');
    const res = await page.request.get(`${app.base}${poster}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'image/jpeg');
    assert.equal(await videos.nth(i).getAttribute('preload'), 'none');
    assert.notEqual(await videos.nth(i).getAttribute('playsinline'), null);
  }
  assert.match(await videos.nth(0).getAttribute('src'), /\/720p\.mp4$/);
  await shot(page, 'public-results-phone');
  await shot(page, 'public-results-phone-full', { fullPage: true });
  await axeCheck(page, 'public results');

  // The first place's video plays inline.
  await videos.nth(0).evaluate((v) => v.play());
  await page.waitForFunction(() => document.querySelector('article video').currentTime > 0.5, null, { timeout: 15_000 });

  // Sharing: a Facebook share link for this page and the page's own link to copy; no download buttons for visitors.
  const facebook = await page.getByRole('link', { name: 'Share on Facebook' }).getAttribute('href');
  assert.equal(facebook, `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`);
  assert.equal(await page.getByLabel('Link to this page').inputValue(), url);
  assert.equal(await page.getByRole('link', { name: /Download MP4/ }).count(), 0);

  // The server's answer carries the preview tags for Facebook's crawler.
  const html = await (await fetch(url)).text();
  assert.match(html, /<meta property="og:video" content="http:\/\/127\.0\.0\.1:\d+\/api\/videos\/[\w-]+\/720p\.mp4"/);
  assert.match(html, /<meta property="og:image" content="http:\/\/127\.0\.0\.1:\d+\/api\/videos\/[\w-]+\/poster-1280\.jpg"/);
  assert.match(html, /<meta property="og:video:width" content="640"/);
  assert.match(html, /<title>Results: Gender &amp; ICT day<\/title>/);

  // Khmer, because the reader chooses it.
  await page.getByRole('button', { name: 'ខ្មែរ' }).click();
  await page.getByText('ចំណាត់ថ្នាក់លេខ ១').waitFor();
  await page.getByRole('link', { name: 'ចែករំលែកលើហ្វេសប៊ុក' }).waitFor();
  await shot(page, 'public-results-phone-km');
  await axeCheck(page, 'public results in Khmer');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('an unknown contest gets a translated not-found page and a 404', async () => {
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const response = await page.goto(`${app.base}/c/no-such-contest/results`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'No results here' }).waitFor();
  await axeCheck(page, 'results not found');
  await shot(page, 'public-results-not-found');
  await ctx.close();
});

test('an organiser sees download buttons that name the file by place, group and title', async () => {
  const ctx = await desktopContext(browser);
  await app.loginAdmin(ctx);
  const page = await ctx.newPage();
  await page.goto(`${app.base}/c/${contest.slug}/results`);
  const links = page.getByRole('link', { name: 'Download MP4 (720p)' });
  await links.first().waitFor();
  assert.equal(await links.count(), 3);
  const [download] = await Promise.all([page.waitForEvent('download'), links.first().click()]);
  assert.equal(download.suggestedFilename(), '1-lotus-crew-video-1.mp4');
  await ctx.close();
});

test('screening mode plays every entry after its title card, driven by the keyboard', async () => {
  const ctx = await desktopContext(browser);
  await app.loginAdmin(ctx);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await page.goto(`${app.base}/admin/contests/${contest.id}`);
  await page.getByRole('link', { name: 'Screening' }).click();
  await page.getByRole('button', { name: 'Start the screening' }).waitFor();
  await axeCheck(page, 'screening start');
  await page.getByRole('button', { name: 'Start the screening' }).click();

  const stage = page.getByRole('dialog', { name: 'Screening of the entries' });
  await stage.getByRole('heading', { name: 'Video 1' }).waitFor();
  assert.match(await stage.innerText(), /Entry 1[\s\S]*Lotus Crew/);
  await shot(page, 'screening-title-card');
  await axeCheck(page, 'screening title card');

  await page.keyboard.press('ArrowRight');
  const video = stage.locator('video');
  await video.waitFor();
  assert.match(await video.getAttribute('src'), /\/720p\.mp4$/);
  await page.waitForFunction(() => (document.querySelector('.stage video')?.currentTime ?? 0) > 0.2, null, { timeout: 15_000 });
  await page.keyboard.press('p');
  assert.equal(await video.evaluate((v) => v.paused), true);
  await page.keyboard.press('p');
  assert.equal(await video.evaluate((v) => v.paused), false);

  await page.keyboard.press('Space');
  await stage.getByRole('heading', { name: 'Video 2' }).waitFor();
  await page.keyboard.press('ArrowLeft');
  await video.waitFor();
  await page.keyboard.press('ArrowRight');
  await stage.getByRole('heading', { name: 'Video 2' }).waitFor();

  // A click goes on too; at the end of a video the next title card comes by itself (the clips last 3 s).
  await stage.click({ position: { x: 200, y: 200 } });
  await video.waitFor();
  await stage.getByRole('heading', { name: 'Video 3' }).waitFor({ timeout: 20_000 });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await stage.getByRole('heading', { name: /last video/ }).waitFor();

  await page.keyboard.press('Escape');
  await stage.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Start the screening' }).waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a contest whose first language is Khmer opens its results page in Khmer', async () => {
  const admin = await app.admin();
  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'closed', reason: 'show the page in Khmer' });
  await app.api('PATCH', `/api/contests/${contest.id}`, admin, { default_locale: 'km' });
  await app.api('POST', `/api/contests/${contest.id}/transitions`, admin, { to: 'published' });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${app.base}/c/${contest.slug}/results`);
  await page.getByText('វីដេអូដែលឈ្នះ').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'km');
  assert.match(await page.locator('article').first().innerText(), /ចំណាត់ថ្នាក់លេខ ១[\s\S]*ដោយ Lotus Crew[\s\S]*សារសំខាន់៖/);
  assert.equal(await page.title(), 'លទ្ធផល៖ Gender & ICT day');
  await axeCheck(page, 'public results, Khmer first');
  await ctx.close();
});
