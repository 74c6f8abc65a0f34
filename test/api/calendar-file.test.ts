import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { CalendarFileError } from '../../src/domain/calendar/calendar-file';
import { calendarCoverage } from '../../src/domain/calendar/working-days';
import { createLogger } from '../../src/logger';
import { createHub } from '../../src/server';
import { startTestHub, testConfig, TestHub } from '../support/hub';
import { cloneDatabase } from '../support/templates';

/**
 * The official-calendar file at the hub's start (HUB_CALENDAR_FILE): a broken file keeps the hub
 * from starting; without one, an application whose deadline falls in 2027 is refused naming the
 * year and /readyz and /metrics say the calendar is ending; with the FICTITIOUS test year (test
 * data, not the real 2027 arrangement) the same application is accepted with its deadline in 2027.
 * The clock is fixed on Sunday 2026-12-20 in China, eleven days before the package's calendar ends.
 */
const FIXTURE = path.join(__dirname, '../fixtures/calendar/fictitious-2027.yaml');
const NOW = new Date('2026-12-20T10:00:00+08:00');

const APPLY = `mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { id status dueAt } }`;
const input = {
  resourceCode: '211014/0001', items: ['inspectionNo', 'uscc', 'inspectedOn'], districts: ['QINGPU'], purpose: 'ENFORCEMENT',
  scenario: 'joint inspection of a Qingpu firm', legalBasis: '《环境保护法》第二十四条', contact: '王 0512-63000000',
  commitment: 'own duties only, within scope and period', validFrom: '2026-12-21', validTo: '2027-02-28',
};

async function applications(t: TestHub): Promise<number> {
  const [{ n }] = await t.db.ds.query('SELECT count(*)::int AS n FROM sharing_application');
  return n;
}

test('a calendar file with a problem stops the start, naming the field', async () => {
  const db = await cloneDatabase('empty');
  try {
    const config = testConfig({ HUB_CALENDAR_FILE: path.join(__dirname, '../fixtures/calendar/missing.yaml') });
    await expect(createHub(config, db.ds, createLogger(config), { pglite: db.pglite })).rejects.toBeInstanceOf(CalendarFileError);
    await expect(createHub(config, db.ds, createLogger(config), { pglite: db.pglite })).rejects.toMatchObject({ field: '(file)' });
  } finally {
    await db.close();
  }
});

test('the start logs a warning naming the year to add when the calendar ends within 30 days of the hub\'s clock', async () => {
  const db = await cloneDatabase('empty');
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  try {
    const hub = await createHub(testConfig(), db.ds, log, { pglite: db.pglite, clock: () => NOW });
    await hub.stop();
    const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40 && /official calendar ends/.test(l.msg));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ lastDay: '2026-12-31', daysLeft: 11, needs: 2027 });
    lines.length = 0;
    const later = await createHub(testConfig({ HUB_CALENDAR_FILE: FIXTURE }), db.ds, log, { pglite: db.pglite, clock: () => NOW });
    await later.stop();
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.filter((l) => /official calendar ends/.test(l.msg))).toHaveLength(0);
    expect(parsed.filter((l) => l.msg === 'official calendar loaded')).toEqual([expect.objectContaining({ lastDay: '2027-12-31', fileYears: [expect.objectContaining({ year: 2027 })] })]);
  } finally {
    await db.close();
  }
});

describe('without a calendar file, eleven days before the package ends', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub('empty', {}, { clock: () => NOW });
  });
  afterAll(() => t.close());

  test('an application due in 2027 is refused naming calendar.coverage and the year, nothing stored', async () => {
    const token = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET', sub: 'officer-wang' });
    const before = await applications(t);
    const r = await t.gql(APPLY, { i: input }, { token });
    expect(r.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'dueAt', rule: 'calendar.coverage', year: 2027, calendarEnds: '2026-12-31' });
    expect(r.body.errors[0].message).toMatch(/^dueAt: the answer deadline falls on or after 2027-01-01, in 2027, .*holiday arrangement for 2027 is not loaded yet/);
    expect(await applications(t)).toBe(before);
  });

  test('/readyz stays ready but says the calendar is ending and which year it needs; /metrics has the days left', async () => {
    const ready = await request(t.hub.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.calendar).toEqual({ status: 'ending', lastDay: '2026-12-31', daysLeft: 11, needs: 2027 });
    const metrics = await request(t.hub.app).get('/metrics');
    expect(metrics.text).toMatch(/^hub_official_calendar_days_left 11$/m);
  });
});

describe('with the fictitious test year 2027 in the calendar file', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub('empty', { HUB_CALENDAR_FILE: FIXTURE }, { clock: () => NOW });
  });
  afterAll(() => t.close());

  test('the same application is accepted, its deadline counted into 2027 on the file\'s days', async () => {
    expect(calendarCoverage().lastDay).toBe('2027-12-31');
    const token = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET', sub: 'officer-wang' });
    const before = await applications(t);
    const r = await t.gql(APPLY, { i: input }, { token });
    expect(r.body.errors).toBeUndefined();
    // From Sunday 12-20: 12-21..12-25 (5), 12-28..12-31 (4), the test holiday 01-01..01-03, Monday 01-04 (10).
    expect(r.body.data.applyForSharing).toMatchObject({ status: 'SUBMITTED', dueAt: '2027-01-04' });
    expect(await applications(t)).toBe(before + 1);
    const ready = await request(t.hub.app).get('/readyz');
    expect(ready.body.calendar).toEqual({ status: 'ok', lastDay: '2027-12-31', daysLeft: 376 });
  });
});
