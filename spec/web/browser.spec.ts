/**
 * The status page in a real browser: Debian's chromium driven by playwright-core (`.ci/run`
 * installs the `chromium` package; nothing is downloaded). The page must follow an exposure
 * started over the command socket, and its form must expose and abort.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCameraServer, type CameraServerApp } from '../../lib/app.js';
import { DEFAULT_CONFIG } from '../../lib/config.js';
import { E2E, WAIT_MS } from '../e2e/support.js';
import { requireOrSkip } from '../support/requirements.js';
import { freePort } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots go with the build output: dist/spec-output/. */
export const SCREENSHOT_DIR = join(process.cwd(), 'dist', 'spec-output');

/** Every state and progress the page has shown, recorded in the page as they change. */
const RECORD_CHANGES = `
  window.__seen = [];
  new MutationObserver(() => {
    const bar = document.querySelector('[data-field="progressbar"]');
    if (!bar) return;
    const entry = { state: bar.dataset.state, width: parseFloat(bar.style.width) || 0 };
    const last = window.__seen[window.__seen.length - 1];
    if (!last || last.state !== entry.state || last.width !== entry.width) window.__seen.push(entry);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

/** Waits until the page's element `[data-field=name]` reads `text` (run in the page: no DOM types here). */
async function fieldShows(page: Page, name: string, text: string): Promise<void> {
  await page.waitForFunction(`document.querySelector('[data-field="${name}"]')?.textContent === ${JSON.stringify(text)}`, undefined, { timeout: WAIT_MS });
}

function stateShown(page: Page, state: string): Promise<void> {
  return fieldShows(page, 'state', state);
}

describe('status page in chromium', function () {
  let browser: Browser;
  let app: CameraServerApp;
  let url: string;
  const e2e = new E2E();

  before(async function () {
    requireOrSkip(this, existsSync(CHROMIUM), `chromium (${CHROMIUM})`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const webPort = await freePort();
    app = await startCameraServer({ ...DEFAULT_CONFIG, port: 0, webPort, detector: 'itl4k', workers: 1, dataDir: e2e.dir() }, undefined, { feedIntervalMs: 50 });
    url = `http://127.0.0.1:${webPort}/`;
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await e2e.cleanup();
  });

  it('follows an exposure started over the socket: EXPOSING → READOUT → NONE, the bar moving', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript(RECORD_CHANGES);
    await page.goto(url);
    await stateShown(page, 'NONE');
    const client = await e2e.connect(app.port);
    await client.command('exposure.expose1 1.5 object "seen from a browser"');
    await stateShown(page, 'EXPOSING');
    await stateShown(page, 'NONE');
    const seen = (await page.evaluate('window.__seen')) as { state: string; width: number }[];
    const states = seen.map((entry) => entry.state).filter((state, i, all) => state !== all[i - 1]);
    expect(states.join(' → ')).to.match(/^NONE( → SETUP)? → EXPOSING → READOUT( → WRITING)? → NONE$/);
    const exposing = seen.filter((entry) => entry.state === 'EXPOSING').map((entry) => entry.width);
    expect(exposing.length, 'progress updates while exposing').to.be.at.least(3);
    expect(exposing).to.deep.equal([...exposing].sort((a, b) => a - b));
    expect(exposing[exposing.length - 1]).to.be.greaterThan(exposing[0]!);
    expect(await page.textContent('[data-field="imageTitle"]')).to.equal('seen from a browser');
    // The worker's preview of the frame, and its statistics per amp.
    await page.waitForFunction(`document.querySelector('.preview')?.naturalWidth === 256`, undefined, { timeout: WAIT_MS });
    expect(await page.locator('.stats tbody tr').count()).to.equal(16);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'status-page.png'), fullPage: true });
    await page.close();
  });

  it('exposes and aborts from the exposure form', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await stateShown(page, 'NONE');
    await page.fill('input[name="time"]', '60');
    await page.selectOption('select[name="type"]', 'dark');
    await page.fill('input[name="title"]', 'form exposure');
    await page.click('button[name="expose"]');
    await stateShown(page, 'EXPOSING');
    const client = await e2e.connect(app.port);
    expect(await client.command('exposure.get_exposureflag')).to.deep.equal(['1', 'EXPOSING']);
    expect(await client.command('parameters.get_par imagetype')).to.equal('dark');
    await page.click('button[name="abort"]');
    await stateShown(page, 'NONE');
    await fieldShows(page, 'message', 'aborted');
    expect(await page.textContent('[data-field="formReply"]')).to.equal('OK');
    await page.close();
  });

  it("shows a focus image's own title and type while it runs, the camera's once it has ended", async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await stateShown(page, 'NONE');
    const client = await e2e.connect(app.port);
    await client.command('parameters.set_par imagetitle "camera title"');
    await client.command('parameters.set_par imagetype flat');
    const run = client.command('focus.run 60 1');
    await stateShown(page, 'EXPOSING');
    await fieldShows(page, 'imageTitle', 'Focus');
    await fieldShows(page, 'imageType', 'object');
    await (await e2e.connect(app.port)).command('exposure.abort');
    await run;
    await stateShown(page, 'NONE');
    await fieldShows(page, 'imageTitle', 'camera title');
    await fieldShows(page, 'imageType', 'flat');
    await page.close();
  });
});
