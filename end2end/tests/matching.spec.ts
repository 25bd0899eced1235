import { expect, test } from '@playwright/test';
import { hydrated, logIn } from './session';

test("an SME's editor sees the calls that fit its profile with their reasons, the excluded ones with why, marks one not relevant and reads the fit on the call's page", async ({ page }) => {
  await logIn(page, 'sme@fundbridge.localhost');
  await page.getByRole('link', { name: 'My matches' }).click();
  await expect(page).toHaveURL(/\/matches/);
  await hydrated(page);

  // Best fit first, each score with the parts that make it.
  const first = page.locator('.match-list .call-card').first();
  await expect(first.locator('.match-score')).toContainText(/Fit \d+ \/ 100/);
  await expect(first.locator('.match-parts')).toContainText(/Your capabilit(y|ies) .+ among this call's topics/);
  const title = (await first.locator('.call-title').textContent())!.trim();

  // Excluded calls say why: an SME-only call for another country's companies among them.
  await page.getByRole('link', { name: /^Excluded, and why/ }).click();
  await expect(page.locator('.match-blockers li', { hasText: /Open to applicants from .+ only; you are in/ }).first()).toBeVisible();

  // "Not relevant" hides a call, keeps it under its own tab, and can be taken back.
  await page.getByRole('link', { name: /^You can apply/ }).click();
  await page.locator('.match-list .call-card').first().getByRole('button', { name: 'Not relevant' }).click();
  await expect(page.locator('.match-list .call-card .call-title').first()).not.toHaveText(title);
  await page.getByRole('link', { name: /^Marked not relevant \(1\)/ }).click();
  await expect(page.locator('.match-list .call-card .call-title').first()).toHaveText(title);
  await page.getByRole('button', { name: 'Relevant after all' }).click();
  await expect(page.locator('.empty-state')).toContainText('No call is marked not relevant');

  // The call's own page says how it fits the organisation.
  await page.getByRole('link', { name: /^You can apply/ }).click();
  await page.locator('.match-list .call-title a').first().click();
  await expect(page.locator('.call-fit')).toContainText('How it fits you');
  await expect(page.locator('.call-fit .match-score').first()).toContainText(/Fit \d+ \/ 100/);

  // And who could complete the consortium: each suggestion says why and links to writing to it.
  const partners = page.locator('.call-partners');
  await expect(partners.getByRole('heading', { name: 'Partners who complete your consortium' })).toBeVisible();
  await expect(partners.locator('.partner-card, .empty-state').first()).toBeVisible();
  const cards = partners.locator('.partner-card');
  for (let i = 0; i < await cards.count(); i++) {
    await expect(cards.nth(i).locator('.match-parts li').first()).toContainText(/Brings|adds a second country|another country|both members|Serves/);
    await expect(cards.nth(i).getByRole('link', { name: 'Write to them about this call' })).toHaveAttribute('href', /\/contact\?call=/);
  }
});
