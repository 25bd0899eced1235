import { expect, test } from '@playwright/test';

test('the partner directory filters by capability and size, and a reload keeps the state', async ({ page }) => {
  await page.goto('/organisations');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('#results-heading')).toHaveText('500 organisations');

  // A typo in the search words still finds the institutes and labs named "Sentinel".
  await page.getByLabel('Search organisations').fill('Sentinal');
  await page.getByLabel('Search organisations').press('Enter');
  await expect(page).toHaveURL(/\/organisations\?q=Sentinal$/);
  await expect(page.locator('.organisation-card').first()).toContainText('Sentinel');

  await page.goto('/organisations');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('checkbox', { name: /^Cryptology/ }).check();
  await expect(page).toHaveURL(/\/organisations\?capability=cryptology$/);
  const heading = page.locator('#results-heading');
  await expect(heading).not.toHaveText('500 organisations');
  await page.getByRole('checkbox', { name: /^Small/ }).check();
  await expect(page).toHaveURL(/capability=cryptology&size=small/);
  const narrowed = await heading.textContent();
  for (const card of await page.locator('.organisation-card').all()) {
    await expect(card.locator('.tag.capability', { hasText: 'Cryptology' })).toHaveCount(1);
    await expect(card.locator('.call-meta')).toContainText('Small');
  }

  await page.reload();
  await expect(heading).toHaveText(narrowed!);
  await expect(page.getByRole('checkbox', { name: /^Cryptology/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Small/ })).toBeChecked();
  await expect(page.getByRole('link', { name: /Remove filter Cryptology/ })).toBeVisible();
});

test('regions are offered by name and filter after hydration', async ({ page }) => {
  await page.goto('/organisations');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('checkbox', { name: /^Bretagne \(FRH0\)/ }).check();
  await expect(page).toHaveURL(/\/organisations\?region=FRH0$/);
  await expect(page.getByRole('link', { name: 'Remove filter Bretagne (FRH0)' })).toBeVisible();
  for (const card of await page.locator('.organisation-card').all()) {
    await expect(card.locator('.call-meta')).toContainText('Bretagne (FRH0)');
  }
});

test('the directory search box suggests names while typing', async ({ page }) => {
  await page.goto('/organisations');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Search organisations').pressSequentially('sentin', { delay: 30 });
  await expect(page.locator('#organisation-suggestions option').first()).toHaveAttribute('value', /sentin/i);
});

test('screenshot of the partner directory', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/organisations?q=quantum&certification=iso27001');
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
  const path = testInfo.outputPath('organisations-page.png');
  await page.screenshot({ path });
  await testInfo.attach('organisations-page', { path, contentType: 'image/png' });
});
