import { expect, test } from '@playwright/test';
import { hydrated, logIn, logOut, mailTo } from './session';

/** `text` as a regular expression matching itself. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test("an SME's editor fills its profile with the keyboard and hides its staff, joins a dual-use cluster its manager accepts, finds a partner abroad by capability and writes to it; the partner reads it in the inbox and by mail", async ({ page }) => {
  test.setTimeout(120_000);
  await logIn(page, 'sme@fundbridge.localhost');
  const name = (await page.locator('.viewer-organisations').textContent())!.replace(/^\s*·\s*/, '').trim();

  // From its card in the directory to its page, and on to the editor.
  await page.goto(`/organisations?q=${encodeURIComponent(name)}`);
  await page.locator('.organisation-card h3 a', { hasText: name }).first().click();
  await expect(page).toHaveURL(/\/organisations\/[a-z0-9-]+$/);
  const profilePage = page.url();
  await page.getByRole('link', { name: 'Edit the profile' }).click();
  await hydrated(page);

  // The capability picker, with the keyboard alone: type, move, Enter.
  const picker = page.getByRole('combobox', { name: 'Capabilities', exact: true });
  await picker.focus();
  await page.keyboard.type('stegan');
  await expect(page.getByRole('option', { name: /^Steganography, Steganalysis/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'Capabilities chosen', exact: true })).toContainText('Steganography');

  // Staff and turnover give the size class, with the rule it meets.
  await page.getByLabel('Staff (annual work units)').fill('12');
  await page.getByLabel('Annual turnover (€)').fill('2 345 678');
  await page.getByLabel('Balance-sheet total (€)').fill('');
  await page.getByLabel('Who sees the staff').selectOption('organisation');
  await expect(page.locator('.size-finding')).toContainText('Small (< 50 staff): fewer than 50 staff');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toContainText('% complete');

  await page.goto(profilePage);
  await expect(page.locator('.facts')).toContainText('Steganography, Steganalysis and Watermarking');
  await expect(page.locator('.facts')).toContainText('€2,345,678');
  await expect(page.locator('.facts')).toContainText('Staff');
  await logOut(page);

  // An anonymous visitor: neither the page's HTML nor the server function's JSON holds it.
  const html = await (await page.request.get(profilePage)).text();
  expect(html).toContain('Small (&lt; 50 staff)');
  expect(html).not.toContain('2,345,678');
  expect(html).not.toContain('2345678');
  expect(html).not.toContain('<dt>Staff</dt>');
  expect(html).not.toContain('"headcount":12');
  const id = new URL(profilePage).pathname.split('/').pop();
  const json = await (await page.request.post('/api/get_organisation_page', {
    data: { external_id: id },
    headers: { origin: new URL(profilePage).origin },
  })).text();
  expect(json).toContain('"class":"small"');
  expect(json).not.toContain('2345678');
  expect(json).toContain('"headcount":null');
  const search = await (await page.request.post('/api/search_organisations', {
    data: { query: { text: name } },
    headers: { origin: new URL(profilePage).origin },
  })).text();
  expect(search).toContain(id!);
  expect(search).not.toContain('2345678');
  expect(search).not.toContain('"headcount":12');

  // The manager of a dual-use cluster: which cluster they run, and their organisation — the
  // partner the company will find.
  await logIn(page, 'manager@fundbridge.localhost');
  const run = page.locator('.clusters-run a').first();
  await expect(run).toBeVisible();
  const clusterPath = (await run.getAttribute('href'))!;
  const partnerLink = page.locator('.memberships a').first();
  const partnerName = (await partnerLink.textContent())!.trim();
  await partnerLink.click();
  await expect(page.locator('h1')).toHaveText(partnerName);
  const capability = (await page.locator('.facts dt:text-is("Capabilities") + dd').textContent())!.split(',')[0].trim();
  const place = (await page.locator('.organisation-page .call-meta a').first().textContent())!.trim();
  await logOut(page);

  // The company asks to join the cluster; its manager accepts; the company hears by mail.
  await logIn(page, 'sme@fundbridge.localhost');
  await page.goto(clusterPath);
  await hydrated(page);
  await expect(page.locator('.cluster-page > .call-meta')).toContainText('Dual-use');
  await page.getByLabel('Message to the managers (optional)').fill('We bring steganalysis.');
  await page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(page.locator('.cluster-status')).toContainText('asked to join');
  await logOut(page);
  await logIn(page, 'manager@fundbridge.localhost');
  await page.goto(clusterPath);
  await hydrated(page);
  await page.locator('.cluster-request').filter({ hasText: name }).getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('.cluster-status')).toContainText('member now');
  await expect(page.locator('.region-organisations')).toContainText(name);
  await logOut(page);
  await mailTo('sme@fundbridge.localhost', 'is now a member of');

  // The company finds the partner by capability (in its region abroad) and writes to it.
  await logIn(page, 'sme@fundbridge.localhost');
  await page.goto('/organisations');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('checkbox', { name: new RegExp(`^${literally(capability)}`) }).check();
  await expect(page).toHaveURL(/capability=/);
  await page.getByRole('checkbox', { name: new RegExp(`^${literally(place)}`) }).check();
  await expect(page).toHaveURL(/region=/);
  await page.locator('.organisation-card h3 a', { hasText: partnerName }).first().click();
  await page.getByRole('link', { name: 'Contact', exact: true }).click();
  await hydrated(page);
  await page.getByLabel('Subject').fill('Consortium for a dual-use call');
  const calls = page.getByLabel('About the call');
  if (await calls.locator('option').count() > 1) {
    await calls.selectOption({ index: 1 });
  }
  await page.getByLabel('Message', { exact: true }).fill('Hello, shall we bid together? We bring steganalysis.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page).toHaveURL(/\/inbox\/\d+$/);
  await expect(page.locator('.messages')).toContainText('shall we bid together');
  await logOut(page);

  // The partner's people: the mail the SMTP server received (no sender address in it), then
  // the inbox, and a reply that reaches the company by mail.
  const received = await mailTo('manager@fundbridge.localhost', 'New message from');
  expect(received.text).toContain('shall we bid together');
  expect(received.text).not.toContain('sme@fundbridge.localhost');
  await logIn(page, 'manager@fundbridge.localhost');
  await page.getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('link', { name: 'Consortium for a dual-use call' }).click();
  await hydrated(page);
  await expect(page.locator('.messages')).toContainText('shall we bid together');
  await page.getByLabel('Your reply').fill('Gladly. Monday at ten?');
  await page.getByRole('button', { name: 'Send the reply' }).click();
  await expect(page.locator('.messages')).toContainText('Gladly. Monday at ten?');
  const answer = await mailTo('sme@fundbridge.localhost', 'New reply from');
  expect(answer.text).toContain('Gladly. Monday at ten?');
});
