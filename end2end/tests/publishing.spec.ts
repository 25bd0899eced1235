import { expect, Page, test } from '@playwright/test';
import { hydrated, logIn, logOut } from './session';

/** Opens the desk of the demo funding body from /publish; returns its address. */
async function openDesk(page: Page): Promise<string> {
  await page.goto('/publish');
  await hydrated(page);
  await page.locator('.desk-list a').first().click();
  await expect(page.getByRole('heading', { name: /Waiting for review/ })).toBeVisible();
  return page.url();
}

/** Fills the editor's common fields and saves the draft; returns the call's editor page. */
async function draft(page: Page, fill: () => Promise<void>) {
  await page.getByRole('link', { name: 'New call' }).click();
  await hydrated(page);
  await fill();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page).toHaveURL(/\/publish\/calls\//);
  await hydrated(page);
}

test('an authority drafts a grant and a loan; its reviewer publishes one and sends back the other; a moved deadline shows on the call page', async ({ page }) => {
  const stamp = Date.now();
  const grantRef = `RIS3-E2E-${stamp}`;
  const grantTitle = `Quantum-safe upgrades for regional SMEs ${stamp}`;
  const loanTitle = `Growth loans for cyber scale-ups ${stamp}`;

  await logIn(page, 'editor@fundbridge.localhost');
  const desk = await openDesk(page);

  // A two-stage grant restricted to one NUTS region; its description tries to run script.
  await draft(page, async () => {
    await page.getByLabel('Your reference').fill(grantRef);
    await page.getByLabel('Title').fill(grantTitle);
    await page.getByLabel('Programme').fill('Regional RIS3 2021-2027');
    await page.getByLabel('Stage 1 name (optional)').fill('Short proposal');
    await page.getByLabel('Stage 1 closes').fill('2027-03-04T17:00');
    await page.getByRole('button', { name: 'Add a stage' }).click();
    await page.getByLabel('Stage 2 name (optional)').fill('Full proposal');
    await page.getByLabel('Stage 2 closes').fill('2027-06-10T17:00');
    await page.getByLabel('Add a country').selectOption('BE');
    await page.getByLabel('NUTS region code').fill('BE10');
    await page.getByRole('button', { name: 'Add region' }).click();
    await expect(page.locator('.chip').filter({ hasText: 'BE10' })).toBeVisible();
    await page.getByLabel('Total budget').fill('2 000 000');
    await page.getByLabel(/^Description/).fill(
      '## Scope\n\nAudits and **post-quantum** migration.\n\n<script>window.__xss=1</script>\n<img src=x onerror="window.__xss=1">',
    );
    await expect(page.locator('.description-preview strong')).toHaveText('post-quantum');
    // A mistake is shown on its field and loses nothing.
    await page.getByLabel('Funding rate (%)').fill('140');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.locator('#funding_rate-error')).toContainText('between 1 and 100');
    await expect(page.getByLabel('Title')).toHaveValue(grantTitle);
    await page.getByLabel('Funding rate (%)').fill('70');
  });
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.locator('.state-badge')).toHaveText('In review');
  const grantEditor = page.url();

  // A loan with a rolling deadline.
  await page.goto(desk);
  await hydrated(page);
  await draft(page, async () => {
    await page.getByLabel('Your reference').fill(`LOAN-E2E-${stamp}`);
    await page.getByLabel('Title').fill(loanTitle);
    await page.getByLabel('Programme').fill('Regional growth finance');
    await page.getByLabel('Instrument').selectOption('loan');
    await page.getByRole('checkbox', { name: /Rolling/ }).check();
    await page.getByLabel('Maximum per project').fill('2500000');
  });
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.locator('.state-badge')).toHaveText('In review');
  const loanEditor = page.url();
  await logOut(page);

  // The reviewer publishes the grant and sends the loan back with a comment.
  await logIn(page, 'reviewer@fundbridge.localhost');
  await page.goto(grantEditor);
  await hydrated(page);
  await page.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(page.locator('.state-badge')).toHaveText('Published');
  await page.goto(loanEditor);
  await hydrated(page);
  await page.getByLabel(/^Comment for the funding body/).fill('State the guarantee rate, please.');
  await page.getByRole('button', { name: 'Send back' }).click();
  await expect(page.locator('.state-badge')).toHaveText('Draft');
  await expect(page.locator('.notice.review')).toContainText('State the guarantee rate');
  await logOut(page);

  // The grant is public and searchable within seconds; the loan is not.
  await expect(async () => {
    await page.goto(`/calls?q=${encodeURIComponent(grantTitle)}`);
    await expect(page.locator('.call-card').filter({ hasText: grantTitle })).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.goto(`/calls?q=${encodeURIComponent(loanTitle)}`);
  await expect(page.locator('.call-card').filter({ hasText: loanTitle })).toHaveCount(0);
  await page.goto(`/calls/${grantRef}`);
  await hydrated(page);
  await expect(page.locator('.description strong')).toHaveText('post-quantum');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.locator('.description img')).toHaveCount(0);
  // Who could apply is for the funding body's eyes only.
  await expect(page.locator('.call-applicants')).toHaveCount(0);

  // The editor moves the first deadline: a material change the call page shows.
  await logIn(page, 'editor@fundbridge.localhost');
  await page.goto(grantEditor);
  await hydrated(page);
  await page.getByLabel('Stage 1 closes').fill('2027-03-18T17:00');
  await page.getByLabel(/^What changed, for applicants/).fill('Two more weeks after the info day.');
  await page.getByRole('button', { name: 'Save and publish the change' }).click();
  await expect(page.getByRole('status')).toContainText('Saved.');
  await expect(page.locator('.version-list li.material')).toContainText('Deadline changed from');
  await page.goto(`/calls/${grantRef}`);
  await expect(page.locator('.call-changes')).toContainText('Changed on');
  await expect(page.locator('.call-changes')).toContainText('18 Mar 2027 17:00');
  await expect(page.locator('.call-changes')).toContainText('Two more weeks after the info day.');
  // The body sees which organisations of the directory could apply to its call.
  await expect(page.getByRole('heading', { name: 'Organisations that could apply' })).toBeVisible();
  await expect(page.locator('.call-applicants').locator('.partner-card, .empty-state').first()).toBeVisible();

  // The audit log lists every step, as CSV.
  const organisation = new URL(desk).pathname.split('/').pop()!;
  const csv = await (await page.request.get(`/exports/audit.csv?organisation=${organisation}`)).text();
  for (const step of ['create_call', 'submit_call', 'approve_call', 'send_back_call', 'edit_call']) {
    expect(csv).toContain(step);
  }
  expect(csv).toContain('State the guarantee rate, please.');
});

test('a spreadsheet with three bad rows shows their lines and writes nothing until confirmed', async ({ page }) => {
  const stamp = Date.now();
  const csv = [
    'Reference;Title;Programme;Instrument;Deadline;Countries;Budget',
    `S${stamp}-1;Cyber vouchers ${stamp};Regional RIS3;voucher;2027-03-04;BE;50 000`,
    `S${stamp}-2;;Regional RIS3;grant;2027-03-04;BE;1000`,
    `S${stamp}-3;Growth loans ${stamp};Regional RIS3;loan;next week;BE;`,
    `S${stamp}-4;Audits ${stamp};Regional RIS3;grant;2027-04-01;XX;100`,
    `S${stamp}-5;Training ${stamp};Regional RIS3;grant;2027-05-01;BE;20000`,
  ].join('\n');
  await logIn(page, 'editor@fundbridge.localhost');
  const desk = await openDesk(page);
  await page.getByRole('link', { name: 'Upload a spreadsheet' }).click();
  await hydrated(page);
  await page.getByLabel('CSV or XLSX file').setInputFiles({ name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByRole('heading', { name: 'Rows: 2 good, 3 with mistakes' })).toBeVisible();
  const bad = page.locator('.sheet-rows tr.row-error');
  await expect(bad).toHaveCount(3);
  expect(await bad.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-line')))).toEqual(['3', '4', '5']);

  // Nothing is written by the preview.
  await page.goto(desk);
  await expect(page.locator('section.desk')).not.toContainText(`Cyber vouchers ${stamp}`);

  await page.getByRole('link', { name: 'Upload a spreadsheet' }).click();
  await hydrated(page);
  await page.getByLabel('CSV or XLSX file').setInputFiles({ name: 'calls.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Write the 2 good rows as drafts' }).click();
  await expect(page.getByRole('status')).toContainText('2 created, 0 updated, 0 unchanged, 3 not written.');
  await expect(page.getByRole('status')).toContainText('Line 3');
  await page.goto(desk);
  await expect(page.locator('section.desk')).toContainText(`Cyber vouchers ${stamp}`);
  await expect(page.locator('section.desk')).toContainText(`Training ${stamp}`);
});

test("an authority's editor records a smart-specialisation priority that its region's public page shows", async ({ page }) => {
  const title = `Secure ports and logistics ${Date.now()}`;
  await logIn(page, 'editor@fundbridge.localhost');
  await openDesk(page);
  await page.getByRole('link', { name: 'Regional priorities (RIS3)' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /Smart-specialisation priorities of/ })).toBeVisible();
  const before = await page.locator('.priority-fields').count();
  await page.getByRole('button', { name: 'Add a priority' }).click();
  const added = page.locator('.priority-fields').nth(before);
  // Saving without a capability or sector names the mistake on the priority and keeps the text.
  await added.getByLabel('Name').fill(title);
  await page.getByRole('button', { name: 'Save priorities' }).click();
  await expect(added.locator('.field-error')).toContainText('at least one capability or sector');
  await expect(added.getByLabel('Name')).toHaveValue(title);
  await added.getByRole('checkbox', { name: 'Transport' }).focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Save priorities' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');

  await page.getByRole('link', { name: 'public page' }).click();
  const priority = page.locator('.priority').filter({ hasText: title });
  await expect(priority).toBeVisible();
  await expect(priority.locator('.tag.sector')).toHaveText('Transport');
});
