// A group's upload path on a phone: form → upload → interruption → resume after a reload → processing → ready,
// then the pre-check refusals (too long, not a video) that must create no upload.
// Needs a server on a fresh database (with media workers) and the fixtures from the media test script:
//   node scripts/upload-walkthrough.mjs 'http://127.0.0.1:8098/setup?token=…' [out-dir] [fixtures-dir]
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const setupUrl = process.argv[2];
if (!setupUrl) throw new Error('usage: node scripts/upload-walkthrough.mjs SETUP_URL [OUT_DIR] [FIXTURES_DIR]');
const base = new URL(setupUrl).origin;
const out = process.argv[3] ?? '../test-artifacts/web-upload';
const fixtures = process.argv[4] ?? '../target/fixtures';
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: 'en-GB', hasTouch: true, isMobile: true };
let failures = 0;
const fail = (msg) => {
  failures++;
  console.log('FAIL:', msg);
};
const json = (page, method, path, body) =>
  page.evaluate(
    async ([method, path, body]) => {
      const r = await fetch(path, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body],
  );

// --- organiser: account, contest, two groups, open ---
const admin = await (await browser.newContext()).newPage();
await admin.goto(base + '/');
const token = new URL(setupUrl).searchParams.get('token');
let r = await json(admin, 'POST', '/api/auth/setup', { email: 'admin@example.org', password: 'correct horse battery', token });
if (r.status >= 300) r = await json(admin, 'POST', '/api/auth/login', { email: 'admin@example.org', password: 'correct horse battery' });
if (r.status >= 300) throw new Error(`setup/login: ${JSON.stringify(r)}`);
r = await json(admin, 'POST', '/api/contests', { title: 'Use ICT for gender equality' });
const contestId = r.body.id;
r = await json(admin, 'PATCH', `/api/contests/${contestId}`, {
  brief: 'Make a one-minute video, shot on a phone, that shows how young people can use ICT to promote gender equality.',
  key_messages: ['To treat and respect women equally', 'How to use ICT for gender equality?'],
  max_duration_seconds: 60,
  upload_deadline: new Date(Date.now() + 3 * 86400_000).toISOString(),
});
if (r.status >= 300) throw new Error(`update: ${JSON.stringify(r)}`);
for (const name of ['Group 1 – Phnom Penh', 'Group 2 – Siem Reap'])
  await json(admin, 'POST', `/api/contests/${contestId}/participants`, { name, role: 'group' });
r = await json(admin, 'POST', `/api/contests/${contestId}/transitions`, { to: 'open' });
if (r.status >= 300) throw new Error(`open: ${JSON.stringify(r)}`);
const parts = (await json(admin, 'GET', `/api/contests/${contestId}/participants`)).body;
const [g1, g2] = parts.filter((p) => p.role === 'group').map((p) => p.invite.url);

// --- group 1 on a phone ---
const ctx = await browser.newContext(phone);
let page = await ctx.newPage();
page.on('pageerror', (e) => fail(`pageerror: ${e.message}`));
const shot = (name, full = true) => page.screenshot({ path: `${out}/${name}.png`, fullPage: full });
const card = (name) => page.locator('section[aria-labelledby="video-heading"]').screenshot({ path: `${out}/${name}.png` });
await page.goto(g1);
await page.getByRole('heading', { name: 'About your video' }).waitFor();
await shot('01-form');
await page.getByLabel('Title of your video').fill('Equal at the keyboard');
await page.getByLabel('To treat and respect women equally').check();
await page.getByRole('button', { name: 'Save and continue' }).click();
await page.getByText('Tick the consent box').waitFor();
await page.getByLabel('Purpose').fill('Show that girls and boys can both code, film and lead.');
await page.getByLabel('Audience').fill('Students and parents in our town');
await page.getByLabel('Description').fill('Two friends teach each other to edit video on a phone.');
await page.locator('.consent').screenshot({ path: `${out}/02-consent-refused.png` });
await page.getByLabel('Everyone in our video agreed').check();
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
await page.getByLabel('Photo of the signed consent form').setInputFiles({ name: 'consent.png', mimeType: 'image/png', buffer: png });
await page.getByRole('button', { name: 'Save and continue' }).click();
await page.getByRole('heading', { name: 'Your entry' }).waitFor();
await page.getByText('Consent photo saved.').waitFor();
await shot('03-saved-ready-to-upload');

// Upload over a slow line, cut the connection part-way, close the tab.
const cdp = await ctx.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.emulateNetworkConditions', {
  offline: false,
  latency: 100,
  downloadThroughput: 1_000_000,
  uploadThroughput: 250_000,
});
await page.getByLabel('Choose video').setInputFiles(`${fixtures}/android-portrait.mp4`);
await page.getByText('Uploading your video').waitFor({ timeout: 20000 });
await page.waitForFunction(() => (document.querySelector('.upload progress')?.value ?? 0) > 0, null, { timeout: 30000 });
await page.waitForTimeout(6000);
await card('04-uploading');
await ctx.setOffline(true);
await page.getByText('No connection — upload paused').waitFor();
await card('05-paused-offline');
const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('clipjury.upload.')));
console.log('stored upload:', JSON.stringify(stored));
if (stored.length !== 1) fail('the upload URL was not stored');
await page.close();
await ctx.setOffline(false);

page = await ctx.newPage();
page.on('pageerror', (e) => fail(`pageerror: ${e.message}`));
const created = [];
page.on('request', (req) => {
  if (req.url().endsWith('/api/uploads') && req.method() === 'POST') created.push(req.url());
});
await page.goto(g1);
await page.getByText('An upload did not finish').waitFor();
const head = await page.evaluate(async (url) => {
  const r = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  return { status: r.status, offset: r.headers.get('Upload-Offset'), length: r.headers.get('Upload-Length') };
}, JSON.parse(stored[0][1]).url);
console.log('server has', JSON.stringify(head));
await shot('06-after-reload-unfinished');
const cdp2 = await ctx.newCDPSession(page);
await cdp2.send('Network.enable');
await cdp2.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: 1_000_000, uploadThroughput: 1_000_000 });
await page.getByLabel('Choose video').setInputFiles(`${fixtures}/android-portrait.mp4`);
const resumed = page.getByText(/Continued from/);
await resumed.waitFor({ timeout: 20000 }).catch(() => fail('no "continued from" line after the reload'));
await card('07-resumed');
await page.getByText('Preparing your video').waitFor({ timeout: 60000 });
if (created.length > 0) fail(`the resume created ${created.length} new upload(s)`);
await cdp2.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
await card('08-processing');
await page.locator('img.poster').waitFor({ timeout: 60000 }).catch(() => console.log('note: no poster before ready'));
await shot('09-processing-poster');
await page.getByText('Your video is ready').waitFor({ timeout: 180000 });
const src = await page.locator('video').getAttribute('src');
console.log('preview src:', src);
if (!src?.includes('360p')) fail('a 390 px phone should get the 360p preview');
await page.getByRole('heading', { name: 'Your video' }).scrollIntoViewIfNeeded();
await shot('10-ready');
const playable = await page.evaluate(async () => {
  const v = document.querySelector('video');
  v.muted = true;
  try {
    await v.play();
    await new Promise((r) => setTimeout(r, 800));
    return v.currentTime > 0;
  } catch (e) {
    return String(e);
  }
});
console.log('preview plays:', playable);
await page.getByRole('button', { name: 'ខ្មែរ' }).click();
await shot('11-ready-km');
await page.getByRole('button', { name: 'English' }).click();
await ctx.close();

// --- group 2: pre-check refusals create no upload ---
await json(admin, 'PATCH', `/api/contests/${contestId}`, { max_duration_seconds: 5 });
const ctx2 = await browser.newContext(phone);
page = await ctx2.newPage();
page.on('pageerror', (e) => fail(`pageerror: ${e.message}`));
const uploads = [];
page.on('request', (req) => {
  if (req.url().includes('/api/uploads')) uploads.push(`${req.method()} ${req.url()}`);
});
await page.goto(g2);
await page.getByLabel('Title of your video').fill('Too long on purpose');
await page.getByLabel('In our own words').check();
await page.getByLabel('Your key message').fill('Everyone can learn ICT');
await page.getByLabel('Everyone in our video agreed').check();
await page.getByRole('button', { name: 'Save and continue' }).click();
await page.getByRole('heading', { name: 'Your entry' }).waitFor();
await page.getByLabel('Record video').setInputFiles(`${fixtures}/too-long.mp4`);
await page.getByText(/This video is .* long, but the limit is/).waitFor();
await shot('12-refused-too-long');
await page.getByLabel('Choose video').setInputFiles(`${fixtures}/png-renamed.mp4`);
await page.getByText('This file is not a video').waitFor();
await page.getByLabel('Choose video').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: png });
await page.getByText('This file is not a video').waitFor();
await page.getByRole('button', { name: 'ខ្មែរ' }).click();
await page.getByLabel('ជ្រើសរើសវីដេអូ', { exact: true }).setInputFiles(`${fixtures}/too-long.mp4`);
await page.getByText(/ដែនកំណត់គឺ/).first().waitFor();
await shot('13-refused-too-long-km');
await page.getByRole('button', { name: 'English' }).click();
if (uploads.length > 0) fail(`refused files still touched /api/uploads: ${uploads.join(', ')}`);
else console.log('refusals sent no upload request');

// --- group 2: a ready video, then a broken replacement: the failure is explained and the ready video stays ---
await json(admin, 'PATCH', `/api/contests/${contestId}`, { max_duration_seconds: 60 });
await page.reload();
await page.getByRole('heading', { name: 'Your entry' }).waitFor();
await page.getByLabel('Choose video').setInputFiles(`${fixtures}/compliant-640x360.mp4`);
await page.getByText('Your video is ready').waitFor({ timeout: 180000 });
await page.getByLabel('Choose another video').setInputFiles(`${fixtures}/truncated.mp4`);
const outcome = await Promise.race([
  page.getByText('This video could not be used').waitFor({ timeout: 180000 }).then(() => 'failed'),
  page.locator('.notice.error').first().waitFor({ timeout: 180000 }).then(() => 'refused'),
]);
console.log('truncated replacement:', outcome, '—', (await page.locator('section[aria-labelledby="video-heading"] .notice.error').first().innerText()).replace(/\n/g, ' '));
if ((await page.locator('video').count()) !== 1) fail('the ready video should stay visible after a failed replacement');
await page.getByRole('heading', { name: 'Your video' }).scrollIntoViewIfNeeded();
await card('14-replacement-failed');
await browser.close();
console.log(failures ? `${failures} failure(s)` : 'all good', `— screenshots in ${out}`);
process.exit(failures ? 1 : 0);
