import fs from 'node:fs';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { loadCatalogFiles } from '../../src/modules/catalog/catalog-files';
import type { CatalogResourceEntry } from '../../src/modules/catalog/catalog.schema';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The catalog portal in a real browser: Debian's Chromium, headless, against the hub on
 * 127.0.0.1. The page must load from the hub alone (anything else is refused and recorded), break
 * none of its Content-Security-Policy, narrow the three dimensions and their facets as the catalog
 * files say, show a resource's terms and the viewer's access as the API gives them, and draw
 * charts whose data (read from the ECharts instance, not from pixels) is the API's answer.
 * It also writes docs/screenshots/portal.png and portal-chart.png, and prints the page weight
 * and first-render times (measured, never asserted).
 */
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
const available = fs.existsSync(CHROMIUM);

const { catalog } = loadCatalogFiles(path.resolve(__dirname, '../../catalog'));
if (!catalog) throw new Error('the catalog must be valid for this test');
const ALL = catalog.resources;
const PUBLIC = ALL.filter((r) => r.openToPublic.open);

type Dim = 'function' | 'businessLine' | 'element' | 'sharingType';
type Filter = Partial<Record<Dim, string>>;
const DIMS: Dim[] = ['function', 'businessLine', 'element', 'sharingType'];
const valuesOf = (r: CatalogResourceEntry, d: Dim): string[] =>
  d === 'function' ? [r.function] : d === 'businessLine' ? [r.businessLine] : d === 'element' ? r.elements : [r.sharing.type];
const matches = (r: CatalogResourceEntry, f: Filter, except?: Dim): boolean => DIMS.every((d) => d === except || f[d] === undefined || valuesOf(r, d).includes(f[d]!));

/** What the facets must show under a filter: each dimension counted under the other conditions, zeros left out unless selected. */
function expectedFacets(rs: CatalogResourceEntry[], f: Filter): Record<Dim, Record<string, number>> {
  const out = {} as Record<Dim, Record<string, number>>;
  for (const d of DIMS) {
    const counts: Record<string, number> = {};
    for (const r of rs.filter((x) => matches(x, f, d))) for (const v of valuesOf(r, d)) counts[v] = (counts[v] ?? 0) + 1;
    if (f[d] !== undefined) counts[f[d]!] ??= 0;
    out[d] = counts;
  }
  return out;
}

if (!available && !process.env.CI) {
  process.stderr.write(`\n[portal browser test] skipped: ${CHROMIUM} is missing (apt-get install -y chromium)\n\n`);
}
if (!available && process.env.CI) {
  test('Chromium is installed for the browser tests', () => {
    throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (see .ci/run) to run test/browser`);
  });
}

(available ? describe : describe.skip)('catalog portal in headless Chromium', () => {
  let t: TestHub;
  let browser: Browser;
  let origin: string;
  let agency: string; // a Wujiang reader: the whole catalog, the monitoring data, its own district's dossier records
  const measured: string[] = [];

  /** A fresh browser context that refuses and records every request not to the hub. */
  async function open(): Promise<{ context: BrowserContext; page: Page; foreign: string[]; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const foreign: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    return { context, page, foreign, problems };
  }

  /** Waits until the page has finished the render a click or a navigation started. */
  async function settled(page: Page): Promise<void> {
    // A function, not a string: the page's CSP refuses eval, which a string predicate would need.
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { getElementById(id: string): { getAttribute(a: string): string | null } | null; querySelector(s: string): unknown } }).document;
      return doc.getElementById('app')?.getAttribute('aria-busy') === 'false' && !!doc.querySelector('[data-view]');
    });
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.fill('input[name=token]', token);
    await page.click('.signin-form button[type=submit]');
    await page.waitForSelector('[data-signed-in]');
    await settled(page);
  }

  /** Facet counts and result codes as the page shows them. */
  async function shown(page: Page): Promise<{ facets: Record<Dim, Record<string, number>>; selected: Filter; codes: string[]; total: number }> {
    // A string, run in the page: this project's TypeScript has no DOM types.
    return page.evaluate(`(() => {
      const facets = {};
      const selected = {};
      for (const section of document.querySelectorAll('[data-facet]')) {
        const dim = section.dataset.facet;
        facets[dim] = {};
        for (const b of section.querySelectorAll('button[data-value]')) {
          facets[dim][b.dataset.value] = Number(b.querySelector('.count').textContent);
          if (b.getAttribute('aria-pressed') === 'true') selected[dim] = b.dataset.value;
        }
      }
      const codes = [...document.querySelectorAll('article.card')].map((a) => a.dataset.code);
      const total = Number(document.querySelector('[data-total]').dataset.total);
      return { facets, selected, codes, total };
    })()`) as Promise<{ facets: Record<Dim, Record<string, number>>; selected: Filter; codes: string[]; total: number }>;
  }

  /** The data of the chart's first series, read from its ECharts instance. */
  async function chartData(page: Page): Promise<Array<{ value: unknown; itemStyle?: { color: string } } | unknown[]>> {
    return page.evaluate(`(async () => {
      const m = await import(JSON.parse(document.getElementById('portal-settings').textContent).charts);
      const option = m.getInstanceByDom(document.querySelector('[data-chart]')).getOption();
      return option.series[0].data;
    })()`) as Promise<Array<{ value: unknown; itemStyle?: { color: string } }>>;
  }

  /** Bytes the page moved (document, assets, API answers) and when it first painted and rendered the catalog. */
  async function weight(page: Page): Promise<{ bytes: number; requests: number; fcp: number; rendered: number }> {
    return page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const rendered = performance.getEntriesByName('portal-rendered')[0];
      return {
        bytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
        requests: 1 + resources.length,
        fcp: fcp ? Math.round(fcp.startTime) : NaN,
        rendered: rendered ? Math.round(rendered.startTime) : NaN,
      };
    })()`) as Promise<{ bytes: number; requests: number; fcp: number; rendered: number }>;
  }

  beforeAll(async () => {
    t = await startTestHub('demo');
    await new Promise<void>((resolve) => t.hub.httpServer.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(t.hub.httpServer.address() as AddressInfo).port}`;
    agency = await t.token('WUJIANG', ['CATALOG_READER', 'DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-EEB' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });

  afterAll(async () => {
    if (measured.length) process.stdout.write(`\nPortal in Chromium (cold cache, 127.0.0.1):\n${measured.map((m) => `  ${m}`).join('\n')}\n`);
    await browser?.close();
    await t?.close();
  });

  test('the public home page loads from the hub alone, lists the public catalog and loads no chart library', async () => {
    const { context, page, foreign, problems } = await open();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${origin}/`);
    await settled(page);
    const s = await shown(page);
    expect(s.total).toBe(PUBLIC.length);
    expect(s.codes).toEqual(PUBLIC.map((r) => r.code).sort().slice(0, 30));
    expect(s.facets).toEqual(expectedFacets(PUBLIC, {}));
    expect(await page.locator('[data-public]').count()).toBe(1);

    const w = await weight(page);
    measured.push(`home page, public: ${w.bytes} bytes in ${w.requests} requests; first contentful paint ${w.fcp} ms, catalog rendered ${w.rendered} ms`);
    expect(foreign).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
    // The page, its script and stylesheet, one GraphQL request; ECharts only where a chart is drawn.
    expect(requests.some((u) => u.includes('/portal/assets/charts.js'))).toBe(false);
    expect(requests.filter((u) => u === `${origin}/graphql`)).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the three dimensions and the facets narrow as the catalog files say', async () => {
    const { context, page, foreign, problems } = await open();
    await page.goto(`${origin}/`);
    await settled(page);
    await signIn(page, agency);
    let s = await shown(page);
    expect(s.total).toBe(ALL.length);
    expect(s.facets).toEqual(expectedFacets(ALL, {}));

    // No hover or focus in the committed image, so it is the same every run.
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.evaluate('document.activeElement && document.activeElement.blur(); document.fonts.ready.then(() => true)');
    await page.screenshot({ path: path.join(SHOTS, 'portal.png'), caret: 'hide', animations: 'disabled' });

    // Function, then business line, then element: each click narrows the list and the other facets.
    const steps: Array<[Dim, string]> = [['function', 'MONITORING'], ['businessLine', 'SURFACE_WATER'], ['element', 'SURFACE_WATER']];
    const filter: Filter = {};
    for (const [dim, value] of steps) {
      await page.click(`[data-facet="${dim}"] button[data-value="${value}"]`);
      await settled(page);
      filter[dim] = value;
      s = await shown(page);
      const want = ALL.filter((r) => matches(r, filter)).map((r) => r.code).sort();
      expect({ filter, selected: s.selected, total: s.total, codes: s.codes }).toEqual({ filter, selected: filter, total: want.length, codes: want.slice(0, 30) });
      expect(s.facets).toEqual(expectedFacets(ALL, filter));
      expect(new URL(page.url()).searchParams.get(dim)).toBe(value);
    }
    expect(s.total).toBeGreaterThan(0);
    expect(s.total).toBeLessThan(ALL.length);

    // Clearing the function widens again; the back button returns to the narrower list.
    await page.click(`[data-facet="function"] button[data-value="MONITORING"]`);
    await settled(page);
    delete filter.function;
    s = await shown(page);
    expect(s.codes).toEqual(ALL.filter((r) => matches(r, filter)).map((r) => r.code).sort().slice(0, 30));
    await page.goBack();
    await settled(page);
    expect((await shown(page)).selected).toEqual({ ...filter, function: 'MONITORING' });

    // Full-text search goes through catalogResources' own search: the page lists what the API returns.
    await page.goto(`${origin}/`);
    await settled(page);
    await page.fill('input[name=q]', '氨氮');
    await page.click('form.search button[type=submit]');
    await settled(page);
    const api = await t.gql('query($f: CatalogFilter) { catalogResources(filter: $f, first: 30) { totalCount edges { node { code } } } catalogFacets(filter: $f) { total } }', { f: { search: '氨氮' } }, { token: agency });
    s = await shown(page);
    expect(s.total).toBe(api.body.data.catalogResources.totalCount);
    expect(s.total).toBeGreaterThan(0);
    expect(s.codes).toEqual(api.body.data.catalogResources.edges.map((e: { node: { code: string } }) => e.node.code));
    expect(new URL(page.url()).searchParams.get('q')).toBe('氨氮');

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('a resource page shows its terms in plain words, and what the viewer may read and what would allow more', async () => {
    const { context, page, foreign, problems } = await open();
    const inspections = ALL.find((r) => r.recordType === 'INSPECTION')!;
    const href = `${origin}/catalog/resources/${encodeURIComponent(inspections.code)}`;

    // The public: a resource not open to the public is not shown at all.
    await page.goto(href);
    await settled(page);
    expect(await page.locator('[data-view="resource-missing"]').innerText()).toContain('不向社会开放');

    // An agency without a sharing grant on the resource (a joint team under its own org; the bureau holds a framework grant).
    const applicant = await t.token('WUJIANG', ['CATALOG_READER', 'DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET' });
    await signIn(page, applicant);
    await page.waitForSelector('[data-view="resource"][data-access="ready"], [data-view="resource"] [data-access="ready"]');
    const terms = await page.locator('[data-section="terms"]').innerText();
    expect(terms).toContain('有条件共享');
    for (const p of inspections.sharing.conditions!.purposes) expect(terms).toContain(p);
    expect(terms).toContain(inspections.sharing.conditions!.legalBasis.slice(0, 20));
    expect(terms).toContain('不向社会开放');
    const cycle = catalog.dimensions.updateCycles.find((c) => c.code === inspections.updateCycle)!;
    expect(await page.locator('[data-field="updateCycle"]').innerText()).toContain(cycle.name);
    expect(await page.locator('[data-field="entryPoint"]').innerText()).toBe(inspections.entryPoint);
    expect(await page.locator('[data-field="exampleQuery"]').innerText()).toBe(inspections.exampleQuery);

    // myAccess, as the page shows it: its own district yes, the others only with a grant or a declared emergency.
    const rows = async () => page.$$eval('[data-access="lines"] tr[data-owner]', (trs) => trs.map((tr) => [tr.getAttribute('data-owner'), tr.getAttribute('data-can-read')]));
    expect(Object.fromEntries(await rows())).toEqual({ QINGPU: 'false', WUJIANG: 'true', JIASHAN: 'false' });
    expect(await page.locator('[data-section="access"]').innerText()).toContain('1/3');
    // Where the caller cannot read, the page names the resource to apply for (myAccess.applyFor), linked to its page.
    const applyFor = await page.$$eval('[data-access="lines"] tr[data-owner] [data-apply-for]', (els) => els.map((e) => [e.closest('tr')!.getAttribute('data-owner'), e.getAttribute('data-apply-for'), e.querySelector('a')!.getAttribute('href')]));
    expect(applyFor).toEqual(['QINGPU', 'JIASHAN'].map((o) => [o, inspections.code, `/catalog/resources/${encodeURIComponent(inspections.code)}`]));
    // Declaring the one purpose that still opens without a grant (EMERGENCY; the token holds its role) opens the other districts.
    await page.click('[data-access="lines"] tr[data-owner="QINGPU"] button[data-purpose="EMERGENCY"]');
    await settled(page);
    await page.waitForSelector('[data-section="access"] [data-access="ready"]');
    expect(Object.fromEntries(await rows())).toEqual({ QINGPU: 'true', WUJIANG: 'true', JIASHAN: 'true' });
    const api = await t.gql('{ myAccess { recordType ownerJurisdiction canRead } }', {}, { token: applicant, purpose: 'EMERGENCY' });
    expect(api.body.data.myAccess.filter((l: { recordType: string }) => l.recordType === 'INSPECTION').every((l: { canRead: boolean }) => l.canRead)).toBe(true);

    // "Open in playground" opens the example query there.
    await page.click('[data-open-playground]');
    await page.waitForSelector('.graphiql-container');
    const query = await page.evaluate(`(() => { const el = document.querySelector('.graphiql-query-editor .CodeMirror'); return el && el.CodeMirror ? el.CodeMirror.getValue() : ''; })()`);
    expect(query).toBe(inspections.exampleQuery);

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('charts draw the API data: water class by day, AQI by day, an outlet\'s latest values', async () => {
    const { context, page, foreign, problems } = await open();
    const classResource = ALL.find((r) => r.entryPoint === 'waterQuality' && r.businessLine === 'SURFACE_WATER')!;
    await page.goto(`${origin}/`);
    await settled(page);
    await signIn(page, agency);
    await page.goto(`${origin}/catalog/resources/${encodeURIComponent(classResource.code)}`);
    await page.waitForSelector('[data-chart="water"][data-points]', { timeout: 30000 });

    // The section whose classes vary most in the test data (its last 60 days), over a year.
    const last = await t.db.ds.query(`SELECT max(o.observed_at) AS at FROM observation o JOIN monitoring_station s ON s.id = o.station_id WHERE s.kind = 'SURFACE_WATER'`);
    const to = new Date(new Date(last[0].at).getTime() + 8 * 3600e3).toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86400e3).toISOString().slice(0, 10);
    const WATER = 'query($s: String!, $from: Date!, $to: Date!) { waterQuality(stationCode: $s, from: $from, to: $to, period: DAY) { periodStart waterClass } }';
    const shownStations = await page.$$eval('[data-stations] tr[data-station]', (trs) => trs.map((tr) => tr.getAttribute('data-station')!));
    let section = shownStations[0];
    let most = 0;
    for (const code of shownStations) {
      const r = await t.gql(WATER, { s: code, from, to }, { token: agency });
      const distinct = new Set(r.body.data.waterQuality.map((p: { waterClass: string | null }) => p.waterClass).filter(Boolean)).size;
      if (distinct > most) [section, most] = [code, distinct];
    }
    await page.selectOption('select[aria-label^="站点"]', section);
    await page.waitForSelector(`[data-chart="water"][data-station="${section}"][data-days="90"][data-points]`);
    await page.click('[data-days="365"]');
    await page.waitForSelector(`[data-chart="water"][data-station="${section}"][data-days="365"][data-points]`, { timeout: 30000 });
    const water = (await chartData(page)) as Array<{ value: number | null; itemStyle: { color: string } }>;
    const api = await t.gql(WATER, { s: section, from, to }, { token: agency });
    // One bar per day of the year; a day the API has no class for is a gap.
    const classes = new Map((api.body.data.waterQuality as Array<{ periodStart: string; waterClass: string | null }>).map((p) => [p.periodStart, p.waterClass]));
    const index: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4, V: 5, WORSE_THAN_V: 6 };
    const days = Array.from({ length: 365 }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86400e3).toISOString().slice(0, 10));
    expect(days[364]).toBe(to);
    expect(water.map((d) => d.value)).toEqual(days.map((d) => (classes.get(d) ? index[classes.get(d)!] : null)));
    expect(classes.size).toBeGreaterThan(50);
    expect(water.filter((d) => d.value !== null).length).toBeGreaterThan(50);
    // Coloured by class I to 劣V, each bar the colour of its class in the legend under the chart.
    const legend = (await page.evaluate(`[...document.querySelectorAll('.legend i')].map((i) => getComputedStyle(i).backgroundColor)`)) as string[];
    expect(legend).toHaveLength(6);
    const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    for (const d of water) if (d.value !== null) expect({ value: d.value, colour: rgb(d.itemStyle.color) }).toEqual({ value: d.value, colour: legend[d.value - 1] });
    expect(new Set(water.map((d) => d.value).filter((v) => v !== null)).size).toBe(most);
    await page.click('[data-days="90"]');
    await page.waitForSelector(`[data-chart="water"][data-station="${section}"][data-days="90"][data-points]`);
    expect(await chartData(page)).toHaveLength(90);
    await page.mouse.move(0, 0);
    await page.evaluate('document.activeElement && document.activeElement.blur(); document.fonts.ready.then(() => true)');
    await page.locator('[data-section="monitoring"]').screenshot({ path: path.join(SHOTS, 'portal-chart.png'), animations: 'disabled' });
    const w = await weight(page);
    measured.push(`resource page with the water chart, signed in: ${w.bytes} bytes in ${w.requests} requests (ECharts subset included)`);

    // Air: AQI by day.
    const aqiResource = ALL.find((r) => r.entryPoint === 'airQuality' && r.updateCycle === 'DAILY' && r.function === 'ASSESSMENT')!;
    await page.goto(`${origin}/catalog/resources/${encodeURIComponent(aqiResource.code)}`);
    await page.waitForSelector('[data-chart="air"][data-points]', { timeout: 30000 });
    const station = await page.getAttribute('[data-chart="air"]', 'data-station');
    const air = (await chartData(page)) as Array<{ value: number | null }>;
    expect(air).toHaveLength(90);
    const airApi = await t.gql('query($s: String!) { monitoringStation(code: $s) { observations(first: 1) { edges { node { observedAt } } } } }', { s: station }, { token: agency });
    const airTo = new Date(Date.parse(airApi.body.data.monitoringStation.observations.edges[0].node.observedAt) + 8 * 3600e3).toISOString().slice(0, 10);
    const airFrom = new Date(Date.parse(`${airTo}T00:00:00Z`) - 89 * 86400e3).toISOString().slice(0, 10);
    const aqi = await t.gql('query($s: String!, $from: Date!, $to: Date!) { airQuality(stationCode: $s, from: $from, to: $to) { date aqi } }', { s: station, from: airFrom, to: airTo }, { token: agency });
    const byDay = new Map((aqi.body.data.airQuality as Array<{ date: string; aqi: number | null }>).map((d) => [d.date, d.aqi]));
    const airDays = Array.from({ length: 90 }, (_, i) => new Date(Date.parse(`${airFrom}T00:00:00Z`) + i * 86400e3).toISOString().slice(0, 10));
    expect(air.map((d) => d.value)).toEqual(airDays.map((d) => byDay.get(d) ?? null));
    expect(air.filter((d) => d.value !== null).length).toBeGreaterThan(50);

    // Outlet: the latest value of each parameter, and a parameter's last 48 hours.
    const outletResource = ALL.find((r) => r.code === '211004/0001')!;
    await page.goto(`${origin}/catalog/resources/${encodeURIComponent(outletResource.code)}`);
    await page.waitForSelector('[data-chart="outlet"][data-points]', { timeout: 30000 });
    const outlet = await page.getAttribute('[data-chart="outlet"]', 'data-station');
    const latestRows = await page.$$eval('[data-latest] tr[data-parameter]', (trs) => trs.map((tr) => [tr.getAttribute('data-parameter'), tr.children[1].textContent]));
    const latest: Array<{ parameter: string; value: string }> = await t.db.ds.query(
      `SELECT DISTINCT ON (o.parameter) o.parameter, o.value::text AS value FROM observation o JOIN monitoring_station s ON s.id = o.station_id
       WHERE s.code = $1 ORDER BY o.parameter, o.observed_at DESC`, [outlet]);
    expect(Object.fromEntries(latestRows)).toEqual(Object.fromEntries(latest.map((l) => [l.parameter, l.value])));
    expect((await chartData(page)).length).toBeGreaterThan(24);

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the public reads a monitoring resource open to it, drawn from the API under the public view', async () => {
    const { context, page, problems } = await open();
    const classResource = ALL.find((r) => r.entryPoint === 'waterQuality' && r.businessLine === 'SURFACE_WATER' && r.openToPublic.open)!;
    await page.goto(`${origin}/catalog/resources/${encodeURIComponent(classResource.code)}`);
    await page.waitForSelector('[data-section="access"] [data-access="ready"]');
    expect(await page.locator('[data-section="access"]').innerText()).toContain('向社会开放，公众可以读取');
    await page.waitForSelector('[data-chart="water"][data-points]', { timeout: 30000 });
    // Every district's rows say the data is open to the public; none asks to sign in.
    expect(await page.locator('[data-access="lines"] tr[data-can-read="true"]').count()).toBe(classResource.jurisdictions.length);
    expect(await page.locator('[data-access="lines"] tr[data-can-read="false"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('an enforcement officer browses the cases of the joint-enforcement resource: the API\'s first page for that viewer', async () => {
    const [firm] = await t.db.ds.query(`SELECT uscc, name FROM enterprise WHERE owner_jurisdiction = 'WUJIANG' AND withdrawn_at IS NULL ORDER BY uscc LIMIT 1`);
    const opened = await t.gql(`mutation($i: OpenCaseInput!) { openEnforcementCase(input: $i) { caseNo state } }`, { i: {
      caseNo: 'WJ-2026-PORTAL-1', uscc: firm.uscc, partyName: firm.name, summary: '夜间异味投诉线索', leadReceivedOn: '2026-11-30',
    } }, { token: agency });
    expect(opened.body.data.openEnforcementCase).toEqual({ caseNo: 'WJ-2026-PORTAL-1', state: 'LEAD' });
    const api = (await t.gql('{ enforcementCases(first: 20) { totalCount } }', {}, { token: agency })).body.data.enforcementCases;
    const cases = ALL.find((r) => r.entryPoint === 'enforcementCases')!;

    const { context, page, foreign, problems } = await open();
    await page.goto(`${origin}/catalog/resources/${encodeURIComponent(cases.code)}`);
    await settled(page);
    await signIn(page, agency);
    await page.waitForSelector('[data-section="records"][data-records="ready"]');
    expect(await page.locator('[data-section="records"] [data-records-total]').getAttribute('data-records-total')).toBe(String(api.totalCount));
    const row = page.locator('[data-section="records"] tr[data-key="WJ-2026-PORTAL-1"]');
    expect(await row.locator('td[data-field="state"]').innerText()).toBe('LEAD');
    expect(await row.locator('td[data-field="partyName"]').innerText()).toBe(firm.name);
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
