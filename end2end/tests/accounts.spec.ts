import { expect, Page, test } from '@playwright/test';
import { DEMO_PASSWORD, firstLink, hydrated, logIn, logOut, mailTo } from './session';

/** Follows the first link of the newest message to `email` whose subject has `subject`, as
 * the test SMTP server received it. */
async function followMailedLink(page: Page, email: string, subject: string) {
  await page.goto(firstLink(await mailTo(email, subject)));
  await hydrated(page);
}

test('a person signs up, confirms by mail, joins an organisation its editor accepts, logs out and resets the password', async ({ page }) => {
  // The demo editor's organisation.
  await logIn(page, 'editor@fundbridge.localhost', DEMO_PASSWORD);
  const organisation = (await page.locator('.memberships li strong').first().textContent())!.trim();
  await logOut(page);

  const email = `ines.${Date.now()}@example.eu`;
  await page.goto('/account/signup');
  await hydrated(page);
  await page.getByLabel('Your name').fill('Inês Carvalho');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password (10 characters or more)').fill('a long first passphrase');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('status')).toContainText('We have sent a message');

  await followMailedLink(page, email, 'Confirm your email address');
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('status')).toContainText('Your address is confirmed');

  await logIn(page, email, 'a long first passphrase');
  await expect(page.locator('.viewer')).toContainText('Inês Carvalho');
  await page.goto(`/organisations?q=${encodeURIComponent(organisation)}`);
  await page.locator('.organisation-card').filter({ hasText: organisation }).first()
    .getByRole('link', { name: 'Work here? Ask to join' }).click();
  await hydrated(page);
  await page.getByLabel('A word for its editors (optional)').fill('I run our post-quantum work.');
  await page.getByRole('button', { name: 'Ask to join' }).click();
  await expect(page.getByRole('status')).toContainText('was sent to its editors');
  await logOut(page);

  await logIn(page, 'editor@fundbridge.localhost', DEMO_PASSWORD);
  const request = page.locator('.requests li').filter({ hasText: email });
  await expect(request).toContainText('I run our post-quantum work.');
  await request.getByRole('button', { name: 'Accept' }).click();
  await expect(request).toHaveCount(0);
  await logOut(page);

  await logIn(page, email, 'a long first passphrase');
  await expect(page.locator('.viewer')).toContainText(organisation);
  await logOut(page);
  await page.goto('/account');
  await expect(page.getByText('You are not logged in.')).toBeVisible();

  await page.goto('/account/forgot');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');
  await followMailedLink(page, email, 'Choose a new Fundbridge password');
  await page.getByLabel('New password (10 characters or more)').fill('a second long passphrase');
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('status')).toContainText('Your new password is set');
  await logIn(page, email, 'a second long passphrase');
  await expect(page.locator('.viewer')).toContainText('Inês Carvalho');
});
