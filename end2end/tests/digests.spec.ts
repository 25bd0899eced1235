import { expect, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { hydrated, logIn, mailTo } from './session';

const MANAGER = 'manager@fundbridge.localhost';

/** Composes this week's digests now, as the scheduler would at the digest time. */
function composeDigests(baseURL: string): string {
  const smtpPort = Number(new URL(baseURL).port) + 2;
  return execFileSync(process.env.FUNDBRIDGE_E2E_BINARY!, ['digest', '--now', '--person', MANAGER], {
    cwd: path.join(__dirname, '..', '..'),
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${process.env.FUNDBRIDGE_E2E_DATABASE}`,
      FUNDBRIDGE_NOW: '2026-11-27T09:00:00Z',
      FUNDBRIDGE_LISTEN: new URL(baseURL).host,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      RUST_LOG: 'error',
    },
  }).toString();
}

test('a saved search comes back in the weekly digest: open the mail, follow it to a call, follow the call, mute an item', async ({ page, baseURL }) => {
  await logIn(page, MANAGER);
  await page.goto('/calls?q=security');
  await hydrated(page);
  await page.getByRole('button', { name: 'Save this search' }).click();
  await expect(page.locator('.save-search-done')).toContainText('in your weekly digest');

  expect(composeDigests(baseURL!)).toContain(': 1 queued');
  const digest = await mailTo(MANAGER, 'Your Fundbridge week:');
  const header = (name: string) => digest.headerLines.find((line) => line.key === name)?.line;
  expect(header('list-unsubscribe')).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/mail\/unsubscribe\?token=[\w.-]+>$/);
  expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  expect(digest.text).toContain('== Calls matching “security”');
  // Composed again the same week: nothing more.
  expect(composeDigests(baseURL!)).toContain(': 0 queued');

  // The first item's link leads to its call.
  // The HTML part as a browser reads it (the template escapes `/`, `&`, quotes in attributes).
  const html = (digest.html as string)
    .replace(/&#x2f;/gi, '/').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const item = html.match(/<a href="(http:\/\/127\.0\.0\.1:\d+\/calls\/[^"]+)"[^>]*>([^<]+)<\/a>/);
  expect(item, 'a call in the digest').toBeTruthy();
  const [, callLink, callTitle] = item!;
  await page.goto(callLink);
  await expect(page.locator('h1')).toHaveText(callTitle);

  // Follow the call from its page; the alerts page lists it, with the calendar of followed
  // deadlines and the saved search's Atom feed, both readable without signing in.
  await hydrated(page);
  await page.getByRole('button', { name: 'Follow this call' }).click();
  await expect(page.getByRole('button', { name: 'Following ✓ — unfollow' })).toBeVisible();
  await page.goto('/preferences');
  await expect(page.locator('.followed-call')).toContainText(callTitle);
  const calendarUrl = await page.locator('#calendar-address').inputValue();
  const feedUrl = await page.locator('.feed-link').first().getAttribute('href');
  const anonymous = await page.context().browser()!.newContext();
  const calendar = await anonymous.request.get(calendarUrl);
  expect(calendar.headers()['content-type']).toContain('text/calendar');
  expect(await calendar.text()).toContain('BEGIN:VCALENDAR');
  const feed = await anonymous.request.get(feedUrl!);
  expect(feed.headers()['content-type']).toContain('application/atom+xml');
  const atom = await feed.text();
  expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  expect(atom).toContain('security');
  expect(atom.match(/<entry>/g)?.length ?? 0).toBeGreaterThan(0);
  await anonymous.close();

  // Its "mute" link works signed out, and can be undone.
  await page.context().clearCookies();
  const mute = html.match(/<a href="(http:\/\/127\.0\.0\.1:\d+\/mail\/mute\?token=[\w.-]+)"/)![1];
  await page.goto(mute);
  await hydrated(page);
  await expect(page.locator('h1')).toHaveText('Mute this call');
  await page.getByRole('button', { name: 'Mute this call' }).click();
  await expect(page.locator('.form-success')).toContainText('is left out of your digests and alerts');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.form-success')).toContainText('can appear in your digests and alerts again');
});
