import { expect, Page } from '@playwright/test';

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
