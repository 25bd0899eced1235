import { expect, test, type Page } from '@playwright/test';

/** Waits until the wasm bundle has hydrated the filter panel. */
async function waitForHydration(page: Page) {
  await expect(page.locator('aside.filters')).toHaveAttribute('data-hydrated', 'true');
}

test('the call list is rendered on the server', async ({ request }) => {
  const response = await request.get('/calls');
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toContain('300 calls');
  expect((html.match(/class="call-card"/g) ?? []).length).toBe(20);
  expect(html).toContain('Page 1 of 15');
});

test('filters apply in the browser without a reload, and the back button restores them', async ({ page }) => {
  await page.goto('/calls');
  await waitForHydration(page);
  // A marker that a full page load would wipe out: it proves navigation stays client-side.
  await page.evaluate(() => ((window as any).__stillTheSamePage = true));

  await page.getByRole('checkbox', { name: /^Open\b/ }).check();
  await expect(page).toHaveURL(/\/calls\?status=open$/);
  const openHeading = page.locator('#results-heading');
  await expect(openHeading).not.toHaveText('300 calls');
  // The panel is patched in place with the new counts, not rebuilt: a keyboard user keeps their place.
  await expect(page.getByRole('checkbox', { name: /^Open\b/ })).toBeFocused();
  // The count beside the checkbox said how many open calls there would be.
  const openCount = Number((await openHeading.textContent())!.split(' ')[0]);
  expect(openCount).toBeGreaterThan(0);

  await page.getByRole('checkbox', { name: /^European Defence Fund/ }).check();
  await expect(page).toHaveURL(/status=open&programme=European%20Defence%20Fund/);
  await expect(page.locator('.call-card').first()).toBeVisible();
  for (const badge of await page.locator('.call-card .badge.status-open, .call-card .badge.status-forthcoming, .call-card .badge.status-closed').allTextContents()) {
    expect(badge).toBe('Open');
  }
  await expect(page.getByRole('link', { name: 'Remove filter European Defence Fund' })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/calls\?status=open$/);
  await expect(page.getByRole('checkbox', { name: /^European Defence Fund/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Open\b/ })).toBeChecked();
  await expect(openHeading).toHaveText(`${openCount} calls`);

  expect(await page.evaluate(() => (window as any).__stillTheSamePage)).toBe(true);
});

test('sorting and paging keep the filters in the URL', async ({ page }) => {
  await page.goto('/calls?status=open');
  await waitForHydration(page);
  await page.getByLabel('Sort by').selectOption('budget');
  await expect(page).toHaveURL(/status=open&sort=budget/);
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page).toHaveURL(/status=open&sort=budget&page=2/);
  await expect(page.locator('.pager .position')).toContainText('Page 2 of');
});

test('a call has its own page with all its fields', async ({ page }) => {
  await page.goto('/calls?programme=Horizon%20Europe');
  const first = page.locator('.call-card .call-title a').first();
  const title = (await first.textContent())!;
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { name: 'Deadlines' })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('Horizon Europe');
  await expect(page.locator('.facts')).toContainText('Per project');
});

test('an unknown call answers 404 with a clear message', async ({ page }) => {
  const response = await page.goto('/calls/NO-SUCH-TOPIC');
  expect(response!.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('was not found');
});

test('an empty result shows what to do next', async ({ page }) => {
  await page.goto('/calls?status=closed&kind=counter_guarantee&programme=Horizon%20Europe');
  await expect(page.getByRole('heading', { name: 'No calls match these filters' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'show all calls' })).toHaveAttribute('href', '/calls');
});

test('the filter toggle on small screens works once hydrated', async ({ page }) => {
  await page.setViewportSize({ width: 400, height: 800 });
  await page.goto('/calls');
  await waitForHydration(page);
  const form = page.locator('#filter-form');
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'Show filters' }).click();
  await expect(form).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide filters' })).toHaveAttribute('aria-expanded', 'true');
  // Choosing a filter keeps the panel open for the next one.
  await page.getByRole('checkbox', { name: /^Open\b/ }).check();
  await expect(page).toHaveURL(/status=open/);
  await expect(page.locator('#results-heading')).not.toHaveText('300 calls');
  await expect(form).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide filters' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the filter form still works as a plain GET form', async ({ page }) => {
    await page.goto('/calls');
    await page.getByRole('checkbox', { name: /^Forthcoming\b/ }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/status=forthcoming/);
    for (const badge of await page.locator('.call-card .badge[class*="status-"]').allTextContents()) {
      expect(badge).toBe('Forthcoming');
    }
  });
});

test('screenshot of the call list', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/calls?q=quantum%20cryptography&status=open');
  await waitForHydration(page);
  await expect(page.getByLabel('Sort by')).toHaveValue('relevance');
  const path = testInfo.outputPath('calls-page.png');
  await page.screenshot({ path });
  await testInfo.attach('calls-page', { path, contentType: 'image/png' });
});

test('search with a typo, two facets and a sort survives a reload', async ({ page }) => {
  await page.goto('/calls');
  await waitForHydration(page);
  const box = page.getByLabel('Search calls');
  await box.fill('quantm');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/calls\?q=quantm$/);
  await expect(page.locator('#results-heading')).toContainText('for “quantm”');
  await expect(page.getByLabel('Sort by')).toHaveValue('relevance');
  await expect(page.locator('.call-card mark').first()).toHaveText(/quantum/i);

  await page.getByRole('checkbox', { name: /^Open\b/ }).check();
  await expect(page).toHaveURL(/status=open/);
  await page.getByRole('checkbox', { name: /^Horizon Europe/ }).check();
  await expect(page).toHaveURL(/programme=Horizon%20Europe/);
  await page.getByLabel('Sort by').selectOption('deadline');
  await expect(page).toHaveURL(/q=quantm&status=open&programme=Horizon%20Europe&sort=deadline/);
  const ids = await page.locator('.call-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-call-id')));
  expect(ids.length).toBeGreaterThan(0);

  const url = page.url();
  await page.reload();
  await waitForHydration(page);
  expect(page.url()).toBe(url);
  await expect(box).toHaveValue('quantm');
  await expect(page.getByRole('checkbox', { name: /^Open\b/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Horizon Europe/ })).toBeChecked();
  await expect(page.getByLabel('Sort by')).toHaveValue('deadline');
  const again = await page.locator('.call-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-call-id')));
  expect(again).toEqual(ids);
});

test('the search box suggests titles while typing', async ({ page }) => {
  await page.goto('/calls');
  await waitForHydration(page);
  await page.getByLabel('Search calls').pressSequentially('post-quant', { delay: 30 });
  await expect(page.locator('#call-suggestions option').first()).toHaveAttribute('value', /post-quantum/i);
});

test('a search that finds nothing says how to relax it', async ({ page }) => {
  await page.goto('/calls?q=zzyzxqw&status=closed');
  await expect(page.getByRole('heading', { name: 'No calls match these filters' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Show these filters without the search words' })).toBeVisible();
});

test('the SME-only filter keeps only calls reserved for SMEs', async ({ page }) => {
  await page.goto('/calls');
  await waitForHydration(page);
  await page.getByRole('checkbox', { name: 'Reserved for SMEs' }).check();
  await expect(page).toHaveURL(/\/calls\?sme_only=true$/);
  await expect(page.getByRole('link', { name: 'Remove filter SME only' })).toBeVisible();
  const cards = page.locator('.call-card');
  expect(await cards.count()).toBeGreaterThan(0);
  await expect(cards.filter({ hasNot: page.locator('.badge.sme') })).toHaveCount(0);
});

test('deadline window and budget filters narrow the list by the counts they showed', async ({ page }) => {
  await page.goto('/calls');
  await waitForHydration(page);
  const withinMonth = page.getByRole('radio', { name: /^Within 30 days/ });
  const shown = Number(await page.locator('label.check', { has: withinMonth }).locator('.count').innerText());
  expect(shown).toBeGreaterThan(0);
  await withinMonth.check();
  await expect(page).toHaveURL(/\/calls\?closes=30d$/);
  await expect(page.locator('#results-heading')).toContainText(new RegExp(`^${shown} calls?$`));
  await page.getByRole('checkbox', { name: /^€100k – €500k/ }).check();
  await expect(page).toHaveURL(/\/calls\?budget=100k-500k&closes=30d$/);
  await expect(page.getByRole('link', { name: 'Remove filter Deadline within 30 days' })).toBeVisible();
  await page.getByRole('radio', { name: 'Any time' }).check();
  await expect(page).toHaveURL(/\/calls\?budget=100k-500k$/);
});
