import { Principal, Role } from '../../src/auth/principal';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { parseSharingRules, SHARING_RULES, sharingDueOn, SharingService } from '../../src/modules/sharing';
import { cloneDatabase } from '../support/templates';

/**
 * The answer deadline of a sharing application (issue 12): the configured working days after the
 * day of submission in China, on the official calendar (chinese-days), weekends, public holidays
 * and adjusted working days (调休) counted as the State Council arranged them. National Day 2026 is
 * 10-01..10-07 with Saturday 10-10 worked.
 */
describe('dueAt on working days', () => {
  test('the configured default is 10 working days (sharing-rules.json, unverified figure kept as data)', () => {
    expect(SHARING_RULES.answerWorkingDays.default).toBe(10);
    expect(SHARING_RULES.maxPeriodDays).toBe(360);
  });

  test('submitted on 2026-09-30, just before National Day: due 2026-10-20, the holiday skipped and Saturday 10-10 counted', () => {
    // 10-08, 10-09, 10-10 (adjusted), 10-12, 10-13, 10-14, 10-15, 10-16, 10-19, 10-20.
    expect(sharingDueOn(new Date('2026-09-30T10:00:00+08:00'), 'QINGPU')).toBe('2026-10-20');
    // Late in the evening of 09-30 in China is still 09-30 (UTC has it at 15:30).
    expect(sharingDueOn(new Date('2026-09-30T23:30:00+08:00'), 'QINGPU')).toBe('2026-10-20');
    // Just after midnight in China it is 10-01 (UTC still says 09-30): submitted on the holiday, the count still starts at 10-08.
    expect(sharingDueOn(new Date('2026-10-01T00:30:00+08:00'), 'QINGPU')).toBe('2026-10-20');
    // Submitted on Friday 10-09 (a working day after the holiday): 10-10 (adjusted Saturday) is the first of the ten, due 10-22.
    expect(sharingDueOn(new Date('2026-10-09T10:00:00+08:00'), 'QINGPU')).toBe('2026-10-22');
    // A plain week for comparison: from Monday 2026-11-02, ten working days end on Monday 11-16.
    expect(sharingDueOn(new Date('2026-11-02T09:00:00+08:00'), 'QINGPU')).toBe('2026-11-16');
  });

  test('a per-provider figure in the configuration replaces the default for that provider only', () => {
    const rules = parseSharingRules({ version: 't', answerWorkingDays: { default: 10, byProvider: { JIASHAN: 5 } }, maxPeriodDays: 180, coordinator: 'ZONE' });
    expect(sharingDueOn(new Date('2026-09-30T10:00:00+08:00'), 'JIASHAN', rules)).toBe('2026-10-13');
    expect(sharingDueOn(new Date('2026-09-30T10:00:00+08:00'), 'QINGPU', rules)).toBe('2026-10-20');
  });

  test('a configuration without the figures is refused (fail closed)', () => {
    expect(() => parseSharingRules({ version: 't', answerWorkingDays: {}, maxPeriodDays: 180, coordinator: 'ZONE' })).toThrow(/answerWorkingDays.default/);
    expect(() => parseSharingRules({ version: 't', answerWorkingDays: { default: 10 }, maxPeriodDays: 0, coordinator: 'ZONE' })).toThrow(/maxPeriodDays/);
  });
});

describe('an application submitted through the service on a given day', () => {
  const applicant: Principal = { kind: 'user', sub: 'officer-li', org: 'JIASHAN-JET', jurisdiction: Jurisdiction.JIASHAN, roles: [Role.DOSSIER_READER, Role.ENFORCEMENT] };
  const input = (validFrom: string, validTo: string) => ({
    resourceCode: '211015/0001', items: ['ticketNo', 'receivedAt', 'content'], districts: [Jurisdiction.WUJIANG], purpose: 'ENFORCEMENT',
    scenario: 'cross-border complaint follow-up', legalBasis: '《信访工作条例》', contact: '李 0573-84000000', commitment: 'own duties only', validFrom, validTo,
  });
  let db: Awaited<ReturnType<typeof cloneDatabase>>;
  beforeAll(async () => {
    db = await cloneDatabase('empty');
  });
  afterAll(() => db.close());

  test('on 2026-09-30 in China: stored with dueAt 2026-10-20; overdue for ZONE from 10-21, not before', async () => {
    let now = new Date('2026-09-30T16:45:00+08:00');
    const service = new SharingService(db.ds, { now: () => now });
    const app = await service.apply({ principal: applicant }, input('2026-10-08', '2026-12-31'));
    expect(app).toMatchObject({ status: 'SUBMITTED', providerJurisdiction: 'WUJIANG', dueAt: '2026-10-20', overdue: false });
    const zone: Principal = { kind: 'user', sub: 'zone', org: 'ZONE-EC', jurisdiction: Jurisdiction.ZONE, roles: [Role.DATA_STEWARD] };
    now = new Date('2026-10-20T17:00:00+08:00');
    expect((await service.overdue({ principal: zone })).map((a) => a.id)).not.toContain(app.id);
    now = new Date('2026-10-21T09:00:00+08:00');
    expect((await service.overdue({ principal: zone })).map((a) => a.id)).toContain(app.id);
  });

  test('submitted when the due day would fall outside the calendar\'s years: a typed error naming dueAt, nothing stored', async () => {
    const now = new Date('2026-12-28T10:00:00+08:00');
    const service = new SharingService(db.ds, { now: () => now });
    const [{ n: before }] = await db.ds.query('SELECT count(*)::int AS n FROM sharing_application');
    await expect(service.apply({ principal: applicant }, input('2026-12-28', '2027-03-31'))).rejects.toMatchObject({ extensions: { code: 'CONFLICT', field: 'dueAt', rule: 'calendar.coverage' } });
    const [{ n: after }] = await db.ds.query('SELECT count(*)::int AS n FROM sharing_application');
    expect(after).toBe(before);
  });

  test('the clock activates an approved grant on its first day and expires it after its last', async () => {
    let now = new Date('2026-10-09T10:00:00+08:00');
    const service = new SharingService(db.ds, { now: () => now });
    const app = await service.apply({ principal: applicant }, input('2026-10-12', '2026-10-31'));
    const steward: Principal = { kind: 'user', sub: 'steward-wj', org: 'WUJIANG-EEB', jurisdiction: Jurisdiction.WUJIANG, roles: [Role.DATA_STEWARD] };
    expect((await service.approve({ principal: steward }, app.id)).status).toBe('APPROVED'); // first day still ahead
    expect(service.grantsFor(applicant)).toEqual([]);
    now = new Date('2026-10-12T08:00:00+08:00');
    expect(await service.sweep()).toEqual({ activated: 1, expired: 0 });
    expect(service.grantsFor(applicant).map((g) => g.id)).toEqual([app.id]);
    now = new Date('2026-11-01T12:00:00+08:00');
    expect(await service.sweep()).toEqual({ activated: 0, expired: 1 });
    const done = await service.get({ principal: applicant }, app.id);
    expect(done.status).toBe('EXPIRED');
    expect(done.history.map((h) => [h.to, h.by])).toEqual([
      ['SUBMITTED', 'officer-li'], ['UNDER_REVIEW', 'steward-wj'], ['APPROVED', 'steward-wj'], ['ACTIVE', 'system:activation'], ['EXPIRED', 'system:expiry'],
    ]);
    expect(service.grantsFor(applicant)).toEqual([]);
  });
});
