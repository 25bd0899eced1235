import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// The server under test: the release build, on a fresh SQLite file with the demo data,
// with "now" fixed so that statuses and deadlines are the same on every run.
const port = Number(process.env.FUNDBRIDGE_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
/** The portal with hostile imported data (the second web server below). */
export const hostileURL = `http://127.0.0.1:${port + 1}`;
const run = `fundbridge-e2e-${process.pid}-${Date.now()}`;
// Set in the runner, inherited by its workers: a test runs the binary on the same database
// (digests.spec.ts composes a digest with `fundbridge digest --now`).
process.env.FUNDBRIDGE_E2E_DATABASE ??= path.join(os.tmpdir(), `${run}.db`);
const database = process.env.FUNDBRIDGE_E2E_DATABASE;
const indexDir = path.join(os.tmpdir(), `${run}-index`);
// The release build, where scripts/cargo-env puts it (an absolute path, or relative to the
// repository's root, where the servers start).
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), '.cache', 'fundbridge', 'target');
process.env.FUNDBRIDGE_E2E_BINARY ??= path.join(targetDir, 'release', 'fundbridge');
const binary = process.env.FUNDBRIDGE_E2E_BINARY;
// The portal's mail goes to a real SMTP server (aiosmtpd, the third web server below), which
// keeps each message as a file of this Maildir; the tests read them there (session.ts). Set
// here, in the runner, so that the workers it starts inherit the same folder.
process.env.FUNDBRIDGE_E2E_MAILDIR ??= path.join(os.tmpdir(), `${run}-maildir`);
const smtpPort = port + 2;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [{
    command: `.venv-smtp/bin/python -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${process.env.FUNDBRIDGE_E2E_MAILDIR}`,
    cwd: '..',
    port: smtpPort,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  }, {
    command: `${binary} serve --seed-demo`,
    cwd: '..',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${database}`,
      FUNDBRIDGE_INDEX_DIR: indexDir,
      FUNDBRIDGE_LISTEN: `127.0.0.1:${port}`,
      FUNDBRIDGE_SITE_ROOT: 'target/site',
      FUNDBRIDGE_NOW: '2026-11-27T09:00:00Z',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      RUST_LOG: 'warn',
    },
  }, {
    // A second portal whose only call was imported with markup in its title, keywords and
    // text (hostile.spec.ts): stored script must show as text and never run.
    command: `${binary} import end2end/fixtures/hostile-topics.jsonl && exec ${binary} serve`,
    cwd: '..',
    url: `${hostileURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${database}-hostile.db`,
      FUNDBRIDGE_INDEX_DIR: `${indexDir}-hostile`,
      FUNDBRIDGE_LISTEN: `127.0.0.1:${port + 1}`,
      FUNDBRIDGE_SITE_ROOT: 'target/site',
      FUNDBRIDGE_NOW: '2026-11-27T09:00:00Z',
      RUST_LOG: 'warn',
    },
  }],
});
