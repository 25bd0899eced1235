import { expect, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { ParsedMail, simpleParser } from 'mailparser';

/** The password of every demo person (see `domain/src/demo.rs`, printed by scripts/demo). */
export const DEMO_PASSWORD = 'fundbridge demo 2026';

/** Waits until the page runs its wasm (forms only work from then on). */
export async function hydrated(page: Page) {
  await expect(page.locator('main')).toHaveAttribute('data-hydrated', 'true');
}

/** Logs `email` in through the login form (a demo person unless `password` is given). */
export async function logIn(page: Page, email: string, password: string = DEMO_PASSWORD) {
  await page.goto('/account/login');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/account$/);
}

/** Logs out from the account page. */
export async function logOut(page: Page) {
  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.locator('.viewer')).toContainText('Log in');
}

/** Every message the test SMTP server accepted so far, parsed, oldest first. */
async function receivedMail(): Promise<ParsedMail[]> {
  const folder = path.join(process.env.FUNDBRIDGE_E2E_MAILDIR!, 'new');
  const files = fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
  return Promise.all(files.map((file) => simpleParser(fs.readFileSync(path.join(folder, file)))));
}

/** The newest message to `email` whose subject has `subject`, once the SMTP server has it. */
export async function mailTo(email: string, subject: string): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await expect(async () => {
    const mail = await receivedMail();
    found = mail.reverse().find((message) =>
      message.subject?.includes(subject)
      && [message.to].flat().some((to) => to?.value.some((address) => address.address === email)));
    expect(found, `a mail to ${email} about "${subject}"`).toBeTruthy();
  }).toPass({ timeout: 20_000 });
  return found!;
}

/** The first link of `message`'s plain-text part. */
export function firstLink(message: ParsedMail): string {
  const link = message.text?.match(/https?:\/\/\S+/)?.[0];
  expect(link, 'a link in the mail').toBeTruthy();
  return link!;
}
