import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import { newPenalty } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The offline playground in a real browser: Debian's Chromium, headless, against the hub on
 * 127.0.0.1. It runs an example, sees demo data in the result pane, and checks that the page
 * asked nothing of any other origin and broke none of its own Content-Security-Policy.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = path.join(__dirname, '..', '..', 'docs', 'screenshots', 'playground.png');
const available = fs.existsSync(CHROMIUM);

/** The text of the CodeMirror editor under `selector`; it runs in the page (this file has no DOM types). */
function editorText(page: Page, selector: string): Promise<string> {
  return page.evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); return el && el.CodeMirror ? el.CodeMirror.getValue() : ''; })()`) as Promise<string>;
}

if (!available && !process.env.CI) {
  // Outside CI a missing browser is a note, not a failure: `apt-get install -y chromium` enables these tests.
  process.stderr.write(`\n[playground browser test] skipped: ${CHROMIUM} is missing (apt-get install -y chromium)\n\n`);
}

if (!available && process.env.CI) {
  test('Chromium is installed for the browser tests', () => {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (see .ci/run) to run test/browser`);
  });
}

(available ? describe : describe.skip)('playground in headless Chromium', () => {
  let t: TestHub;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    // Development mode on a generated secret: the embedded hub as `npm start` runs it, dev token included.
    t = await startTestHub('demo', { NODE_ENV: 'development', HUB_JWT_SECRET: '', HUB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-playground-')) });
    expect(t.config.jwtSecretGenerated).toBe(true);
    await new Promise<void>((resolve) => t.hub.httpServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(t.hub.httpServer.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  test('opens from the hub alone, runs the Enterprises example and shows demo data', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const requests: string[] = [];
    const foreign: string[] = [];
    const problems: string[] = [];
    // Anything not from the hub is recorded and refused, so a CDN reference cannot pass by loading slowly.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));

    await page.goto(`${origin}/playground`);
    await page.waitForSelector('.graphiql-container');
    // One tab per example, titled by its operation.
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    expect(tabs.map((s) => s.trim())).toEqual(expect.arrayContaining(['Enterprises', 'Dossier', 'WujiangPenalties', 'CatalogSearch', 'AssessWater', 'ComputeAqi', 'MonitoringStations', 'Me']));
    // The headers editor holds a ready development token.
    const headersText = await editorText(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    expect(headersText).toMatch(/"Authorization": "Bearer [\w-]+\.[\w-]+\.[\w-]+"/);

    await page.click('.graphiql-execute-button');
    const [first] = await t.db.ds.query('SELECT uscc, name FROM enterprise ORDER BY uscc LIMIT 1');
    const response = page.locator('.graphiql-response');
    await response.getByText(first.name).first().waitFor({ timeout: 20000 });
    const text = await editorText(page, '.graphiql-response .CodeMirror');
    const body = JSON.parse(text);
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprises.edges[0].node).toMatchObject({ uscc: first.uscc, name: first.name });

    // Let CodeMirror's fold gutter settle (it redraws 400-600 ms after a change) so the committed image is the same every run.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(1000);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, caret: 'hide', animations: 'disabled' });

    expect(foreign).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
    // The page, its five scripts, two stylesheets and the GraphQL calls (introspection, the query).
    expect(requests.filter((u) => u.startsWith(`${origin}/playground/assets/`)).length).toBe(7);
    expect(requests.filter((u) => u === `${origin}/graphql`).length).toBeGreaterThanOrEqual(2);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('runs the RecordChanges subscription over WebSocket and shows a write as it happens', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const problems: string[] = [];
    const sockets: string[] = [];
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${origin}/playground`);
    await page.waitForSelector('.graphiql-container');
    await page.locator('.graphiql-tab', { hasText: 'RecordChanges' }).click();
    // The editor (and the operation name GraphiQL runs) follows the tab a moment after the click.
    await page.locator('.graphiql-query-editor', { hasText: 'recordChanged' }).waitFor();
    await page.waitForTimeout(500);
    await page.click('.graphiql-execute-button');
    // The server listens once the subscription has started; then a Wujiang penalty is written through the writer.
    for (let i = 0; i < 500 && t.hub.subscriptions.listening() === 0; i++) await page.waitForTimeout(20);
    expect(t.hub.subscriptions.listening()).toBe(1);
    await t.hub.events.ready();
    const [firm] = await t.db.ds.query("SELECT uscc FROM enterprise WHERE owner_jurisdiction = 'WUJIANG' AND withdrawn_at IS NULL ORDER BY uscc LIMIT 1");
    const penalty = await newPenalty(t.db.ds, { ...firm, id: '', ownerJurisdiction: 'WUJIANG', enterpriseId: '' });
    await page.locator('.graphiql-response').getByText(penalty.decisionNo).first().waitFor({ timeout: 20000 });
    const body = JSON.parse(await editorText(page, '.graphiql-response .CodeMirror'));
    expect(body.data.recordChanged).toMatchObject({ recordType: 'PENALTY', key: penalty.decisionNo, op: 'INSERTED', ownerJurisdiction: 'WUJIANG', record: { __typename: 'Penalty', decisionNo: penalty.decisionNo } });
    expect(sockets).toEqual([`${origin.replace('http', 'ws')}/graphql`]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('a browser opening /graphql gets the playground too', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${origin}/graphql`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.graphiql-execute-button');
    await context.close();
  });
});
