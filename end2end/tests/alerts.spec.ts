import { expect, test } from '@playwright/test';
import { firstLink, hydrated, logIn, mailTo } from './session';

test('a visitor subscribes by email with double opt-in; a signed-in person saves a call search, sees what it will mail, switches it to daily and deletes it', async ({ page }) => {
  // A visitor can have it mailed without an account, once the address is confirmed.
  await page.goto('/calls?q=quantum');
  await hydrated(page);
  await page.getByLabel('Get new matches for this search by mail, weekly:').fill('visitor@example.eu');
  await page.getByRole('button', { name: 'Mail me' }).click();
  await expect(page.locator('.save-search-done')).toContainText('Check your inbox');
  const confirm = await mailTo('visitor@example.eu', 'Confirm your Fundbridge alert');
  expect(confirm.text).toContain('new calls matching “quantum”');
  await page.goto(firstLink(confirm));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.locator('.account-form')).toContainText('Your address is confirmed');

  await logIn(page, 'sme@fundbridge.localhost');
  await page.goto('/calls?q=quantum&status=open&page=2');
  await hydrated(page);
  await page.getByRole('button', { name: 'Save this search' }).click();
  await expect(page.locator('.save-search-done')).toContainText(
    'Every Monday around 08:00 Europe/Brussels: new calls matching “quantum” · Open, in your weekly digest');

  await page.getByRole('link', { name: 'Change it in your alerts' }).click();
  await expect(page).toHaveURL(/\/preferences$/);
  await hydrated(page);
  const saved = page.locator('.saved-search').filter({ hasText: '“quantum” · Open' });
  await expect(saved.getByRole('link', { name: '“quantum” · Open' })).toHaveAttribute('href', '/calls?q=quantum&status=open');
  await saved.getByLabel('Daily').check();
  await expect(saved.locator('.frequency-sentence')).toContainText('Every day around 08:00 Europe/Brussels');

  // The digest time moves the sentence with it; both survive a reload.
  await page.getByLabel('Day').selectOption('Friday');
  await page.getByLabel('Around').selectOption('07:00');
  await page.getByLabel('Time zone').selectOption('Europe/Helsinki');
  await page.getByRole('button', { name: 'Save the digest time' }).click();
  await expect(page.locator('.digest-schedule')).toContainText('Your digest comes every Friday around 07:00 Europe/Helsinki.');
  await page.reload();
  await hydrated(page);
  await expect(saved.getByLabel('Daily')).toBeChecked();
  await expect(saved.locator('.frequency-sentence')).toContainText('Every day around 07:00 Europe/Helsinki');

  await saved.getByRole('button', { name: 'Delete' }).click();
  await expect(saved).toHaveCount(0);
  await page.reload();
  await hydrated(page);
  await expect(page.locator('.saved-search').filter({ hasText: '“quantum” · Open' })).toHaveCount(0);
});
