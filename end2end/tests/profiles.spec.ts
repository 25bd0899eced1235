import { expect, test } from '@playwright/test';
import { hydrated, logIn, logOut } from './session';

test("an SME's editor fills its profile with the keyboard, sees its size class, hides its staff, and outsiders never see them or its turnover", async ({ page }) => {
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
  await expect(page.getByRole('option', { name: /Steganography/ })).toBeVisible();
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
});
