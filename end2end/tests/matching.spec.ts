import { expect, test } from '@playwright/test';
import { hydrated, logIn, logOut } from './session';

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

test("an SME builds a consortium from a matched call: the gaps close as partners join, and the partner's member sees it shared and accepts", async ({ page }) => {
  // The partner-to-be: the organisation the cluster manager works for, in another country.
  await logIn(page, 'manager@fundbridge.localhost');
  const partner = (await page.locator('.viewer-organisations').textContent())!.replace(/^\s*·\s*/, '').trim();
  await logOut(page);

  // The cybersecurity SME's product is now deployed at its first customers: its editor says so
  // in the profile (TRL 7), and its top matches then hold a deployment call of the European
  // Cybersecurity Competence Centre (TRL 6–8), with its reasons.
  await logIn(page, 'sme@fundbridge.localhost');
  const name = (await page.locator('.viewer-organisations').textContent())!.replace(/^\s*·\s*/, '').trim();
  await page.goto(`/organisations?q=${encodeURIComponent(name)}`);
  await page.locator('.organisation-card h3 a', { hasText: name }).first().click();
  await page.getByRole('link', { name: 'Edit the profile' }).click();
  await hydrated(page);
  await page.getByLabel('Readiness of what it offers').selectOption('7');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('link', { name: 'My matches' }).click();
  await hydrated(page);
  const eccc = page.locator('.match-list .call-card[data-call-id*="ECCC"]').first();
  await expect(eccc.locator('.match-parts li.earned').first()).toBeVisible();
  await expect(eccc.locator('.match-blockers')).toHaveCount(0);

  // A Horizon Europe call asks for three partners from three countries: the builder says so.
  await page.locator('.match-list .call-card[data-call-id^="HORIZON-"] .call-title a').first().click();
  await hydrated(page);
  const builder = page.locator('.consortium-builder');
  const gaps = builder.locator('.consortium-gaps');
  await expect(gaps).toContainText('The call asks for at least 3 partners: 2 more are needed.');

  // A suggested partner bringing a capability the SME lacks joins: that gap closes.
  const suggestion = page.locator('.partner-card', { hasText: 'which the call names and your profile lacks' }).first();
  const missingCapabilities = gaps.locator('li', { hasText: /^Nobody brings .+ yet/ });
  const missingBefore = await missingCapabilities.count();
  expect(missingBefore).toBeGreaterThan(0);
  await suggestion.getByRole('button', { name: 'Add to consortium' }).click();
  await expect(suggestion.getByRole('button', { name: 'In your consortium' })).toBeDisabled();
  await expect(gaps).toContainText('1 more is needed');
  await expect.poll(() => missingCapabilities.count()).toBeLessThan(missingBefore);

  // The manager's organisation, found in the directory, makes three.
  await builder.getByLabel('Add an organisation from the directory').fill(partner);
  await builder.getByRole('button', { name: 'Find' }).click();
  await builder.getByRole('button', { name: `Add ${partner} to the consortium` }).click();
  await expect(builder.locator('.consortium-member')).toHaveCount(3);
  await expect(builder).not.toContainText('more is needed');
  await builder.getByRole('button', { name: 'Share with the partners' }).click();
  await expect(builder).toContainText("Shared with the partners' people");
  await logOut(page);

  // The partner's member finds it under Consortia and accepts.
  await logIn(page, 'manager@fundbridge.localhost');
  await page.getByRole('link', { name: 'Consortia' }).click();
  await expect(page.locator('.consortium-card .consortium-yours')).toContainText(`${partner}: Not answered yet`);
  await page.locator('.consortium-card h2 a').first().click();
  await hydrated(page);
  await expect(page.locator('.consortium-answer')).toContainText(`${partner} is invited to this consortium.`);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('.consortium-answer')).toContainText(`${partner} accepted.`);
  await expect(page.locator('.consortium-member', { hasText: partner })).toContainText('Accepted');
});
