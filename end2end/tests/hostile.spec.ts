import { expect, test } from '@playwright/test';
import { hostileURL } from '../playwright.config';

// Payloads that would set window.__xss if any of them ran as script.
const payload = '</title><script>window.__xss=1</script><img src=x onerror="window.__xss=2">';

test('script in the URL or in imported data never runs, and pages carry a nonce policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  const paths = [
    `/calls?q=${encodeURIComponent(payload)}`,
    `/organisations?q=${encodeURIComponent(payload)}`,
    `/calls?programme=${encodeURIComponent(payload)}`,
    '/calls',
    '/calls/XSS-TITLE-1',
  ];
  for (const path of paths) {
    const response = await page.goto(`${hostileURL}${path}`);
    expect(response!.status(), path).toBeLessThan(500);
    const csp = response!.headers()['content-security-policy'];
    expect(csp, path).toMatch(/script-src 'nonce-[A-Za-z0-9_-]+'/);
    // The page hydrated under that policy: the wasm bundle ran.
    await expect(page.locator('main')).toHaveAttribute('data-hydrated', 'true');
    expect(await page.evaluate(() => (window as any).__xss), path).toBeUndefined();
  }
  // The imported title reads as the text it is, in the tab and on the page.
  expect(await page.title()).toContain('</title><script>window.__xss=1</script>');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('<img src=x onerror=');
  expect(violations, 'the policy blocks none of the portal\'s own scripts').toEqual([]);
});
