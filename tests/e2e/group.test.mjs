// The group's path in Khmer (the contest's first language): invite → brief → form → upload → processing → ready,
// Khmer text and axe on every screen; the pre-check refusals that must send no byte; results and feedback after
// publishing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  startApp, launchBrowser, phoneContext, axeCheck, shot, pageErrors, fixture, strings, ROOT,
} from './support/harness.mjs';

const km = strings('km');
const en = strings('en');
const KHMER = /[\u1780-\u17ff]/;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let app, browser, admin;
before(async () => {
  app = await startApp();
  browser = await launchBrowser();
  admin = await app.admin();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

async function assertKhmerPage(page, what) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'km', `${what}: <html lang>`);
  assert.match(await page.locator('main').innerText(), KHMER, `${what}: Khmer text`);
}

test('a group uploads its video in Khmer: every screen in Khmer, processing then ready', async () => {
  const c = await app.createContest(admin, {
    title: 'ប្រើ ICT ដើម្បីសមភាពយេនឌ័រ',
    default_locale: 'km',
    brief: 'ថតវីដេអូមួយនាទីដោយទូរសព្ទ អំពីរបៀបប្រើ ICT ដើម្បីលើកកម្ពស់សមភាពយេនឌ័រ។',
    key_messages: ['គោរព និងប្រព្រឹត្តចំពោះស្ត្រីដោយស្មើភាព', 'របៀបប្រើ ICT ដើម្បីសមភាពយេនឌ័រ'],
    groups: ['ក្រុម ១'],
    open: true,
  });
  // A browser in English: the contest's first language must win.
  const ctx = await phoneContext(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  const assets = new Set();
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/\.(js|css)$/.test(path)) assets.add(path);
  });
  await app.openInvite(page, c.invites['ក្រុម ១']);
  await page.getByRole('heading', { name: km('sub.formTitle') }).waitFor();
  await page.getByText(km('invite.asGroup')).waitFor();
  await assertKhmerPage(page, 'brief and form');
  await axeCheck(page, 'group form (km)');
  await shot(page, 'group-km-01-brief');
  await page.getByRole('heading', { name: km('sub.formTitle') }).scrollIntoViewIfNeeded();
  await shot(page, 'group-km-02-form');

  await page.getByLabel(km('sub.title')).fill('ស្មើគ្នានៅមុខក្ដារចុច');
  await page.getByLabel('គោរព និងប្រព្រឹត្តចំពោះស្ត្រីដោយស្មើភាព').check();
  await page.getByLabel(km('sub.purpose')).fill('បង្ហាញថា ក្មេងស្រី និងក្មេងប្រុស អាចសរសេរកូដ ថតវីដេអូ និងដឹកនាំបាន។');
  await page.getByLabel(km('sub.audience')).fill('សិស្ស និងឪពុកម្ដាយ');
  await page.getByLabel(km('sub.consent')).check();
  await page.getByRole('button', { name: km('sub.save') }).click();
  await page.getByRole('heading', { name: km('sub.yourEntry') }).waitFor();
  await assertKhmerPage(page, 'saved entry');
  await axeCheck(page, 'group entry saved (km)');
  await shot(page, 'group-km-03-saved');

  await page.getByLabel(km('video.choose'), { exact: true }).setInputFiles(fixture('android-portrait.mp4'));
  await page.getByText(km('video.processing')).waitFor({ timeout: 60_000 });
  await assertKhmerPage(page, 'processing');
  await axeCheck(page, 'group processing (km)');
  await shot(page, 'group-km-04-processing');
  await page.getByText(km('video.ready')).waitFor({ timeout: 120_000 });
  await page.locator('video').waitFor();
  await assertKhmerPage(page, 'ready');
  await axeCheck(page, 'group ready (km)');
  await page.getByText(km('video.ready')).scrollIntoViewIfNeeded();
  await shot(page, 'group-km-05-ready');
  assert.deepEqual(errors, []);

  // The weight budget of the whole upload path: at most 60 kB of gzipped JS and CSS, no juror or admin code.
  const bytes = [...assets].reduce((sum, a) => sum + gzipSync(readFileSync(join(ROOT, 'web/dist', a))).length, 0);
  console.log(`group upload path: ${assets.size} files, ${(bytes / 1000).toFixed(1)} kB gzipped`);
  assert.ok(bytes <= 60_000, `the group upload path loads ${bytes} gzipped bytes of JS and CSS: ${[...assets].join(', ')}`);
  assert.ok(![...assets].some((a) => /Entry-|Entries-|jury-|admin/i.test(a)), `juror or admin code loaded: ${[...assets].join(', ')}`);
  await ctx.close();
});

test('pre-check refusals: a too-long clip and a non-video file are refused before any byte is sent', async () => {
  const c = await app.createContest(admin, { title: 'Short clips only', max_duration_seconds: 5, duration_tolerance_seconds: 0, groups: ['G'], open: true });
  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  const uploads = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/uploads') || req.url().includes('/submission/video')) uploads.push(`${req.method()} ${req.url()}`);
  });
  await app.openInvite(page, c.invites.G);
  await page.getByLabel(en('sub.title')).fill('Too long on purpose');
  await page.getByLabel(en('sub.ownWordsLabel')).fill('Everyone can learn ICT');
  await page.getByLabel(en('sub.consent')).check();
  await page.getByRole('button', { name: en('sub.save') }).click();
  await page.getByRole('heading', { name: en('sub.yourEntry') }).waitFor();

  await page.getByLabel(en('video.record'), { exact: true }).setInputFiles(fixture('too-long.mp4'));
  await page.getByText(/This video is .* long, but the limit is/).waitFor();
  await axeCheck(page, 'refused too long');
  await shot(page, 'group-refused-too-long');
  await page.getByLabel(en('video.choose'), { exact: true }).setInputFiles(fixture('png-renamed.mp4'));
  await page.getByText(en('pre.not-a-video')).waitFor();
  await page.getByLabel(en('video.choose'), { exact: true }).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: PNG });
  await page.getByText(en('pre.not-a-video')).waitFor();
  await shot(page, 'group-refused-not-a-video');

  await page.getByRole('button', { name: 'ខ្មែរ' }).click();
  await page.getByLabel(km('video.choose'), { exact: true }).setInputFiles(fixture('too-long.mp4'));
  await page.getByText(/ដែនកំណត់គឺ/).first().waitFor();
  await page.getByLabel(km('video.choose'), { exact: true }).setInputFiles(fixture('png-renamed.mp4'));
  await page.getByText(km('pre.not-a-video')).waitFor();
  await axeCheck(page, 'refused (km)');
  await shot(page, 'group-refused-km');
  await page.waitForTimeout(500); // anything about to be sent would show by now
  assert.deepEqual(uploads, [], 'refused files must not reach the server');
  const sub = await app.api('GET', `/api/contests/${c.id}/submissions`, admin);
  assert.equal(sub[0].latest_video ?? null, null, 'no video was created');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('after publishing, the group sees its place, the top 3 and the jurors’ feedback', async () => {
  const c = await app.createContest(admin, { title: 'Published contest', groups: ['Takeo team', 'Kampot team'], jurors: ['Juror A'], open: true });
  await app.submitEntry(c.id, c.invites['Takeo team'], { title: 'Girls in tech' });
  await app.submitEntry(c.id, c.invites['Kampot team'], { title: 'Share the chores' });
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'judging' });
  const juror = await app.redeem(c.invites['Juror A']);
  const { entries } = await app.api('GET', `/api/contests/${c.id}/entries`, juror);
  for (const e of entries) {
    const high = e.title === 'Girls in tech';
    const scores = Object.fromEntries(['message', 'creativity', 'technical_quality', 'impact', 'respect_consent'].map((k) => [k, high ? 9 : 6]));
    const feedback = high ? 'A strong story, clearly told. Well done!' : 'Good idea; the sound was hard to hear.';
    await app.api('PUT', `/api/contests/${c.id}/entries/${e.entry_id}/score`, juror, { version: 0, scores, feedback, private_comment: '' });
    await app.api('POST', `/api/contests/${c.id}/entries/${e.entry_id}/score/submit`, juror);
  }
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'closed' });
  await app.api('POST', `/api/contests/${c.id}/results/confirm`, admin, {});
  await app.api('POST', `/api/contests/${c.id}/transitions`, admin, { to: 'published' });

  const ctx = await phoneContext(browser);
  const page = await ctx.newPage();
  const errors = pageErrors(page);
  await app.openInvite(page, c.invites['Takeo team']);
  await page.getByRole('heading', { name: en('groupResults.heading') }).waitFor();
  await page.getByText(en('groupResults.place', { place: 1 })).waitFor();
  await page.getByText('A strong story, clearly told. Well done!').waitFor();
  assert.equal(await page.getByText('the sound was hard to hear').count(), 0, 'only this group’s feedback');
  const winners = page.getByRole('list').filter({ hasText: en('groupResults.placeN', { place: 1 }) });
  await winners.getByText('Share the chores').waitFor();
  await axeCheck(page, 'group results');
  await page.getByRole('heading', { name: en('groupResults.heading') }).scrollIntoViewIfNeeded();
  await shot(page, 'group-results');
  await page.getByRole('button', { name: 'ខ្មែរ' }).click();
  await page.getByText(km('groupResults.place', { place: 1 })).waitFor();
  await shot(page, 'group-results-km');

  const other = await (await phoneContext(browser)).newPage();
  await app.openInvite(other, c.invites['Kampot team']);
  await other.getByText(en('groupResults.place', { place: 2 })).waitFor();
  await other.getByText('Good idea; the sound was hard to hear.').waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});
