import { GqlResponse, startTestHub, TestHub } from '../support/hub';

/** The enforcement calculators through HTTP: public (no token), exact decimals, bad input named. */
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('empty');
});
afterAll(() => t.close());

const firstError = (r: GqlResponse) => r.body.errors?.[0] ?? {};

const DISCRETION = `query($input: DiscretionInput!) { computeDiscretion(input: $input) {
  violationCode method tableVersion illustrative legalMin legalMax percentSum percentUsed capped exactFine fine working
  base { code given applied floorApplied }
  factors { factor level percent amount } } }`;

describe('computeDiscretion', () => {
  test('without a token: the reference\'s worked example, 11 % of air law art. 99\'s range → 199000.00', async () => {
    const r = await t.gql(DISCRETION, { input: { violationCode: 'AIR_LAW_99', factors: [
      { factor: 'IMPACT', level: 'MEDIUM' }, { factor: 'DURATION', level: 'MONTHS_3_TO_6' }, { factor: 'HISTORY', level: 'FIRST' },
    ] } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.computeDiscretion).toMatchObject({
      violationCode: 'AIR_LAW_99', method: 'PERCENT', tableVersion: 'YRD-ILLUSTRATIVE-1', illustrative: true, legalMin: '100000', legalMax: '1000000',
      percentSum: '11', percentUsed: '11', capped: false, exactFine: '199000', fine: '199000.00', base: null,
      factors: [
        { factor: 'IMPACT', level: 'MEDIUM', percent: '6', amount: '54000' },
        { factor: 'DURATION', level: 'MONTHS_3_TO_6', percent: '5', amount: '45000' },
        { factor: 'HISTORY', level: 'FIRST', percent: '0', amount: '0' },
      ],
    });
    expect(r.body.data.computeDiscretion.working).toContain('fine = 100000 + (1000000 − 100000) × 11 % = 199000');
  });

  test('a rate of the investment, as a decimal string, computed exactly', async () => {
    const r = await t.gql(DISCRETION, { input: { violationCode: 'EIA_LAW_31', baseAmount: '12345678.90', factors: [
      { factor: 'STAGE', level: 'MAIN_STRUCTURE' }, { factor: 'SENSITIVE_AREA', level: 'NO' }, { factor: 'HISTORY', level: 'FIRST' },
    ] } });
    expect(r.body.data.computeDiscretion).toMatchObject({
      legalMin: '123456.789', legalMax: '617283.945', exactFine: '271604.9358', fine: '271604.94', base: { code: 'INVESTMENT', given: '12345678.9', applied: '12345678.9', floorApplied: false },
    });
  });

  test('asOf and tableVersion choose the version; the method follows it', async () => {
    const Q = `query($input: DiscretionInput!) { computeDiscretion(input: $input) { tableVersion method fine } }`;
    const v2 = await t.gql(Q, { input: { violationCode: 'WATER_LAW_83', asOf: '2026-01-01', factors: [
      { factor: 'EXCEEDANCE', level: 'PERCENT_50_TO_100' }, { factor: 'DURATION', level: 'MONTHS_3_TO_12' }, { factor: 'HISTORY', level: 'FIRST' },
    ] } });
    expect(v2.body.data.computeDiscretion).toEqual({ tableVersion: 'YRD-ILLUSTRATIVE-2', method: 'GRADE', fine: '280000.00' });
    const v1 = await t.gql(Q, { input: { violationCode: 'WATER_LAW_83', tableVersion: 'YRD-ILLUSTRATIVE-1', factors: [
      { factor: 'IMPACT', level: 'LARGE' }, { factor: 'DURATION', level: 'UNDER_3_MONTHS' }, { factor: 'HISTORY', level: 'FIRST' },
    ] } });
    // 100,000 + 900,000 × 18 % = 262,000.
    expect(v1.body.data.computeDiscretion).toEqual({ tableVersion: 'YRD-ILLUSTRATIVE-1', method: 'PERCENT', fine: '262000.00' });
  });

  test.each([
    ['an unknown violation code', { violationCode: 'AIR_LAW_999', factors: [] }, 'input.violationCode', 'UNKNOWN_VIOLATION_CODE'],
    ['an unknown table version', { violationCode: 'AIR_LAW_99', tableVersion: 'X-1', factors: [] }, 'input.tableVersion', 'UNKNOWN_TABLE_VERSION'],
    ['a factor not in the table version', { violationCode: 'AIR_LAW_99', factors: [{ factor: 'STAGE', level: 'STARTED' }] }, 'input.factors[0].factor', 'FACTOR_NOT_IN_TABLE'],
    ['a percentage outside its range', { violationCode: 'AIR_LAW_99', factors: [
      { factor: 'IMPACT', level: 'MEDIUM' }, { factor: 'DURATION', level: 'MONTHS_3_TO_6' }, { factor: 'HISTORY', level: 'FIRST' }, { factor: 'EXCEEDANCE', level: 'UNDER_HALF', percent: '5.5' },
    ] }, 'input.factors[3].percent', 'PERCENT_OUT_OF_RANGE'],
    ['a missing base', { violationCode: 'EIA_LAW_31', factors: [] }, 'input.baseAmount', 'BASE_REQUIRED'],
    ['no table in force on the day', { violationCode: 'AIR_LAW_99', asOf: '2020-01-01', factors: [] }, 'input.asOf', 'NO_TABLE_IN_FORCE'],
  ])('%s is BAD_USER_INPUT naming the field and the rule', async (_what, input, field, rule) => {
    const r = await t.gql(DISCRETION, { input });
    expect(r.body.data).toBeNull();
    expect(firstError(r).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
    expect(firstError(r).message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
  });

  test('a percentage that is not a decimal is refused by the scalar, before any computation', async () => {
    const r = await t.gql(DISCRETION, { input: { violationCode: 'AIR_LAW_99', factors: [{ factor: 'EXCEEDANCE', level: 'UNDER_HALF', percent: 'lots' }] } });
    expect(firstError(r).extensions?.code).toBe('BAD_USER_INPUT');
    expect(firstError(r).message).toContain('lots');
  });
});

describe('discretionTables, minorViolationRules, statutoryDeadlineRules', () => {
  test('the loaded tables with version, method, factors and the illustrative marker', async () => {
    const r = await t.gql(`{ discretionTables(violationCode: "WATER_LAW_83") {
      version illustrative effectiveFrom method legalRange { kind min max } factors { code required levels { code percent grade } } bands { fromScore percent } } }`);
    expect(r.body.errors).toBeUndefined();
    const tables = r.body.data.discretionTables;
    expect(tables.map((x: { version: string; method: string; illustrative: boolean }) => [x.version, x.method, x.illustrative])).toEqual([
      ['YRD-ILLUSTRATIVE-1', 'PERCENT', true], ['YRD-ILLUSTRATIVE-2', 'GRADE', true],
    ]);
    expect(tables[0].legalRange).toEqual({ kind: 'FIXED', min: '100000', max: '1000000' });
    expect(tables[0].factors[0]).toEqual({ code: 'IMPACT', required: true, levels: [
      { code: 'MINOR', percent: '0', grade: null }, { code: 'MEDIUM', percent: '6', grade: null }, { code: 'LARGE', percent: '18', grade: null }, { code: 'SERIOUS', percent: '32', grade: null },
    ] });
    expect(tables[1].bands[0]).toEqual({ fromScore: '3', percent: '0' });
    const inForce = await t.gql(`{ discretionTables(asOf: "2025-01-01") { version violationCode } }`);
    expect(new Set(inForce.body.data.discretionTables.map((x: { version: string }) => x.version))).toEqual(new Set(['YRD-ILLUSTRATIVE-1']));
    const eia = await t.gql(`{ discretionTables(violationCode: "EIA_LAW_31") { legalRange { kind baseCode minRate maxRate } } }`);
    expect(eia.body.data.discretionTables).toEqual([{ legalRange: { kind: 'BASE_RATE', baseCode: 'INVESTMENT', minRate: '0.01', maxRate: '0.05' } }]);
  });

  test('the loaded minor-violation rules with their list, validity, mode and conditions', async () => {
    const r = await t.gql(`{ minorViolationRules(violationCode: "AIR_LAW_99") {
      listId illustrative validFrom validTo itemNo conduct conductName mode obligation conditions { kind description lookBackMonths amount unit measure comparator value circumstance } } }`);
    expect(r.body.errors).toBeUndefined();
    const [rule] = r.body.data.minorViolationRules;
    expect(rule).toMatchObject({ listId: 'EXAMPLE-PATTERNS-1', illustrative: true, validFrom: '2023-07-01', validTo: '2028-06-30', itemNo: 3, conduct: 'EXCEEDING_LIMIT', mode: 'FIRST_OFFENCE', obligation: 'MAY_NOT_PENALISE' });
    expect(rule.conditions.map((c: { kind: string; description: string }) => [c.kind, c.description])).toEqual([
      ['FIRST_OFFENCE', 'first offence: no earlier AIR_LAW_99 in the 1 year(s) before the violation'],
      ['THRESHOLD', 'POLLUTANTS_EXCEEDING ≤ 1'],
      ['THRESHOLD', 'EXCEEDANCE_PERCENT ≤ 10'],
      ['CORRECTED_WITHIN', 'corrected within 24 hours of discovery'],
      ['NOT_DURING', 'not during HEAVY_POLLUTION_ALERT'],
      ['HARM_AT_MOST', 'harmful consequence at most minor'],
    ]);
    const none = await t.gql(`{ minorViolationRules(asOf: "2022-01-01") { itemNo } }`);
    expect(none.body.data.minorViolationRules).toEqual([]);
  });

  test('the deadline rules with the calendar\'s coverage', async () => {
    const r = await t.gql(`{ statutoryDeadlineRules { version calendar { firstDay lastDay source } events { code } timers { code fromEvent amount unit dayType } } }`);
    expect(r.body.data.statutoryDeadlineRules).toMatchObject({ version: 'CASE-PROCEDURE-2023', calendar: { firstDay: '2004-01-01', lastDay: '2026-12-31', source: 'chinese-days 1.5.7 (dist/chinese-days.json)' } });
    expect(r.body.data.statutoryDeadlineRules.timers).toContainEqual({ code: 'HEARING_REQUEST', fromEvent: 'NOTICE_SERVED', amount: 5, unit: 'DAYS', dayType: 'WORKING' });
  });
});

describe('evaluateMinorViolation', () => {
  const Q = `query($input: MinorViolationFactsInput!) { evaluateMinorViolation(input: $input) {
    outcome obligation educationRequired firstOffenceUsed explanation decidingOn
    applied { rule { listId itemNo } result conditions { kind status actual } }
    candidates { rule { itemNo } result explanation } } }`;
  const facts = {
    violationCode: 'AIR_LAW_99', conduct: 'EXCEEDING_LIMIT', occurredOn: '2026-03-01', discoveredAt: '2026-03-02T10:00:00+08:00', correctedAt: '2026-03-03T06:30:00+08:00',
    harm: 'MINOR', priorOffences: [{ violationCode: 'AIR_LAW_99', on: '2024-05-01' }], measures: [{ code: 'POLLUTANTS_EXCEEDING', value: 1 }, { code: 'EXCEEDANCE_PERCENT', value: '8.5' }],
    circumstances: [], decidingOn: '2026-03-10',
  };

  test('a rule applies: which, why, and what the decision must record', async () => {
    const r = await t.gql(Q, { input: facts });
    expect(r.body.errors).toBeUndefined();
    const e = r.body.data.evaluateMinorViolation;
    expect(e).toMatchObject({ outcome: 'NO_PENALTY', obligation: 'MAY_NOT_PENALISE', educationRequired: true, firstOffenceUsed: true, decidingOn: '2026-03-10', applied: { rule: { listId: 'EXAMPLE-PATTERNS-1', itemNo: 3 }, result: 'APPLIES' } });
    expect(e.applied.conditions).toContainEqual({ kind: 'CORRECTED_WITHIN', status: 'MET', actual: 'corrected 20 h 30 min after discovery' });
  });

  test('a heavy-pollution alert in force: none applies, and the answer says why', async () => {
    const r = await t.gql(Q, { input: { ...facts, circumstances: ['HEAVY_POLLUTION_ALERT'] } });
    expect(r.body.data.evaluateMinorViolation).toMatchObject({
      outcome: 'NOT_APPLICABLE', obligation: null, applied: null, educationRequired: false,
      explanation: 'no rule applies: EXAMPLE-PATTERNS-1 item 3: not met: not during HEAVY_POLLUTION_ALERT (HEAVY_POLLUTION_ALERT in force)',
    });
  });

  test.each([
    ['a correction before the discovery', { correctedAt: '2026-03-01T10:00:00+08:00' }, 'input.correctedAt', 'BEFORE_DISCOVERY'],
    ['an unknown measure', { measures: [{ code: 'NOISE_DB', value: 3 }] }, 'input.measures[0].code', 'UNKNOWN_MEASURE'],
    ['an unknown circumstance', { circumstances: ['FOG'] }, 'input.circumstances[0]', 'UNKNOWN_CIRCUMSTANCE'],
  ])('%s is BAD_USER_INPUT naming the field and the rule', async (_what, over, field, rule) => {
    const r = await t.gql(Q, { input: { ...facts, ...over } });
    expect(r.body.data).toBeNull();
    expect(firstError(r).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, rule });
  });
});

describe('statutoryDeadlines', () => {
  const Q = `query($input: StatutoryDeadlinesInput!) { statutoryDeadlines(input: $input) {
    rulesVersion deadlines { timer { code dayType } startsOn nominalDueOn dueOn dueAt rolledForward extensionDays suspendedDays refusal } pending { timer { code } reason } } }`;

  test('working days across National Day, extensions and suspensions, an hour period', async () => {
    const r = await t.gql(Q, { input: {
      events: [{ event: 'FILED', on: '2026-03-02' }, { event: 'NOTICE_SERVED', on: '2026-09-30' }, { event: 'TRANSFER_APPROVED', at: '2026-06-03T16:45:00+08:00' }],
      extensions: [{ timer: 'DECISION', approval: 'HEAD', days: 30 }],
      suspensions: [{ timer: 'DECISION', from: '2026-04-01', to: '2026-04-10' }],
    } });
    expect(r.body.errors).toBeUndefined();
    const byCode = Object.fromEntries(r.body.data.statutoryDeadlines.deadlines.map((d: { timer: { code: string } }) => [d.timer.code, d]));
    // 2026-03-02 + 120 = 06-30, + 10 suspended = 07-10 (Friday).
    expect(byCode.DECISION).toMatchObject({ dueOn: '2026-07-10', extensionDays: 30, suspendedDays: 10, rolledForward: false });
    expect(byCode.HEARING_REQUEST).toMatchObject({ timer: { code: 'HEARING_REQUEST', dayType: 'WORKING' }, dueOn: '2026-10-13' });
    expect(byCode.POLICE_TRANSFER).toMatchObject({ dueOn: '2026-06-04', dueAt: '2026-06-04T08:45:00.000Z' });
  });

  test('a working-day deadline in a year the calendar lacks: refused for that deadline, not guessed', async () => {
    const r = await t.gql(Q, { input: { events: [{ event: 'NOTICE_SERVED', on: '2026-12-29' }] } });
    const [d] = r.body.data.statutoryDeadlines.deadlines;
    expect(d).toMatchObject({ timer: { code: 'HEARING_REQUEST' }, dueOn: null });
    expect(d.refusal).toMatch(/^2027-01-01 is outside the official calendar the hub knows/);
  });

  test('an extension beyond the rule is BAD_USER_INPUT naming the field and the rule', async () => {
    const r = await t.gql(Q, { input: { events: [{ event: 'FILED', on: '2026-03-02' }], extensions: [{ timer: 'DECISION', approval: 'HEAD', days: 45 }] } });
    expect(r.body.data).toBeNull();
    expect(firstError(r).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.extensions[0].days', rule: 'EXTENSION_TOO_LONG' });
  });
});
