import { parseDataText } from '../../src/domain/enforcement/data-files';
import { computeDiscretion, DiscretionRequest, DiscretionTableSet, validateDiscretionFile } from '../../src/domain/enforcement/discretion';
import { EnforcementInputError } from '../../src/domain/enforcement/errors';
import { enforcementData } from '../../src/domain/enforcement/registry';

const TODAY = '2026-12-06';
const tables = (): DiscretionTableSet[] => enforcementData().discretionTables;
const compute = (req: DiscretionRequest, sets: DiscretionTableSet[] = tables()) => computeDiscretion(sets, req, TODAY);

/** The error a request is refused with (fails the test if it is not refused). */
function refusal(req: DiscretionRequest, sets?: DiscretionTableSet[]): EnforcementInputError {
  try {
    compute(req, sets);
  } catch (e) {
    if (e instanceof EnforcementInputError) return e;
    throw e;
  }
  throw new Error('expected the request to be refused');
}

const AIR = (factors: DiscretionRequest['factors'], extra: Partial<DiscretionRequest> = {}): DiscretionRequest => ({ violationCode: 'AIR_LAW_99', factors, ...extra });
const sel = (factor: string, level: string, percent?: string) => ({ factor, level, percent });

/** Parses a table file from text and validates it, collecting `line: message`. */
function validate(text: string): { set?: DiscretionTableSet; problems: string[] } {
  const { source, problems } = parseDataText(text, 'test.json');
  if (!source) return { problems: problems.map((p) => `${p.line}: ${p.message}`) };
  const out: Array<{ line: number; message: string }> = [];
  const set = validateDiscretionFile(source, (at, message) => out.push({ line: source.lineOf(at), message }));
  // By line, as the check command prints them (the sort is stable within a line).
  return { set, problems: out.sort((a, b) => a.line - b.line).map((p) => `${p.line}: ${p.message}`) };
}

/** A one-entry table, for what the bundled illustrative tables cannot show. */
function tableText(entry: object, extra: object = {}): string {
  return JSON.stringify({
    version: 'TEST-1', title: 't', illustrative: true, jurisdictions: ['QINGPU'], effectiveFrom: '2020-01-01', source: 's',
    rounding: { unit: '0.01', mode: 'HALF_UP' }, entries: [entry], ...extra,
  }, null, 2);
}

describe('method A (PERCENT): fine = min + (max − min) × Σp, Σp capped at 100 %', () => {
  test('the reference\'s worked example: air law art. 99, 6 % + 5 % + 0 % = 11 % → 199,000 yuan', () => {
    // 100,000 + (1,000,000 − 100,000) × 0.11 = 100,000 + 99,000 = 199,000.
    const r = compute(AIR([sel('IMPACT', 'MEDIUM'), sel('DURATION', 'MONTHS_3_TO_6'), sel('HISTORY', 'FIRST')]));
    expect(r.fine.toFixed(2)).toBe('199000.00');
    expect(r.table.version).toBe('YRD-ILLUSTRATIVE-1');
    expect(r.table.illustrative).toBe(true);
    expect(r.percentSum!.toFixed()).toBe('11');
    expect(r.capped).toBe(false);
    // Each factor's share of the range: 900,000 × 6 % = 54,000; × 5 % = 45,000; × 0 % = 0.
    expect(r.factors.map((f) => [f.factor, f.level, f.percent!.toFixed(), f.amount!.toFixed()])).toEqual([
      ['IMPACT', 'MEDIUM', '6', '54000'], ['DURATION', 'MONTHS_3_TO_6', '5', '45000'], ['HISTORY', 'FIRST', '0', '0'],
    ]);
    expect(r.working).toEqual([
      'table YRD-ILLUSTRATIVE-1 (illustrative), AIR_LAW_99 《大气污染防治法》第九十九条: method PERCENT',
      'legal range 100000 to 1000000 yuan',
      'factors: IMPACT MEDIUM 6 %; DURATION MONTHS_3_TO_6 5 %; HISTORY FIRST 0 %',
      'Σp = 6 + 5 + 0 = 11 %',
      'fine = 100000 + (1000000 − 100000) × 11 % = 199000',
      'fine: 199000.00 yuan',
    ]);
  });

  test('Σp = 30 % with a percentage picked inside a level\'s range → 370,000 yuan', () => {
    // 18 + 5 + 0 + 7 (within EXCEEDANCE HALF_TO_ONE's 5..15) = 30; 100,000 + 900,000 × 0.30 = 370,000.
    const r = compute(AIR([sel('IMPACT', 'LARGE'), sel('DURATION', 'MONTHS_3_TO_6'), sel('HISTORY', 'FIRST'), sel('EXCEEDANCE', 'HALF_TO_ONE', '7')]));
    expect(r.fine.toFixed(2)).toBe('370000.00');
    expect(r.factors[3]).toMatchObject({ factor: 'EXCEEDANCE', percent: expect.anything() });
    expect(r.factors[3].amount!.toFixed()).toBe('63000');
  });

  test('Σp above 100 % is capped: 32 + 20 + 25 + 30 = 107 % → the legal maximum', () => {
    const r = compute(AIR([sel('IMPACT', 'SERIOUS'), sel('DURATION', 'OVER_12_MONTHS'), sel('HISTORY', 'REPEATED'), sel('EXCEEDANCE', 'OVER_ONE', '30')]));
    expect([r.percentSum!.toFixed(), r.percentUsed!.toFixed(), r.capped]).toEqual(['107', '100', true]);
    expect(r.fine.toFixed(2)).toBe('1000000.00');
    expect(r.working).toContain('Σp = 32 + 20 + 25 + 30 = 107 %, capped at 100 %');
  });

  test('a percentage of the investment (EIA law art. 31) in exact decimals, rounded to the fen', () => {
    // Range 1 %..5 % of 12,345,678.90 = 123,456.789..617,283.945.
    // 123,456.789 + (617,283.945 − 123,456.789) × 0.30 = 123,456.789 + 148,148.1468 = 271,604.9358 → 271,604.94.
    // (In binary floating point the same sum is 271604.93580000004 and the maximum 617283.9450000001.)
    const r = compute({ violationCode: 'EIA_LAW_31', baseAmount: '12345678.90', factors: [sel('STAGE', 'MAIN_STRUCTURE'), sel('SENSITIVE_AREA', 'NO'), sel('HISTORY', 'FIRST')] });
    expect([r.legalMin.toFixed(), r.legalMax.toFixed()]).toEqual(['123456.789', '617283.945']);
    expect(r.exactFine.toFixed()).toBe('271604.9358');
    expect(r.fine.toFixed(2)).toBe('271604.94');
    expect(r.base).toMatchObject({ code: 'INVESTMENT', floorApplied: false });
  });

  test('rounding never carries a fine past the legal maximum', () => {
    // 5 % of 1,000,000.5 = 50,000.025; HALF_UP to the fen would be 50,000.03, above the maximum, so 50,000.02.
    const r = compute({ violationCode: 'EIA_LAW_31', baseAmount: '1000000.5', factors: [sel('STAGE', 'FINISHED'), sel('SENSITIVE_AREA', 'YES'), sel('HISTORY', 'REPEATED')] });
    expect(r.exactFine.toFixed()).toBe('50000.025');
    expect(r.fine.toFixed(2)).toBe('50000.02');
  });

  test('three to five times the disposal cost, a cost under 200,000 counting as 200,000 (solid-waste law art. 112)', () => {
    // Cost 50,000 → base 200,000 → range 600,000..1,000,000; 20 % → 600,000 + 400,000 × 0.2 = 680,000.
    const low = compute({ violationCode: 'SOLID_WASTE_LAW_112_DUMPING', baseAmount: 50000, factors: [sel('QUANTITY', 'T_1_TO_10'), sel('HISTORY', 'FIRST')] });
    expect(low.base).toMatchObject({ floorApplied: true });
    expect([low.base!.given.toFixed(), low.base!.applied.toFixed(), low.legalMin.toFixed(), low.legalMax.toFixed(), low.fine.toFixed(2)]).toEqual(['50000', '200000', '600000', '1000000', '680000.00']);
    // Cost 300,000 → range 900,000..1,500,000; 20 % → 900,000 + 600,000 × 0.2 = 1,020,000.
    const high = compute({ violationCode: 'SOLID_WASTE_LAW_112_DUMPING', baseAmount: '300000', factors: [sel('QUANTITY', 'T_1_TO_10'), sel('HISTORY', 'FIRST')] });
    expect([high.base!.floorApplied, high.fine.toFixed(2)]).toEqual([false, '1020000.00']);
  });
});

describe('method B (GRADE): the total score\'s band places the fine', () => {
  const water = (e: string, d: string, h: string, extra: Partial<DiscretionRequest> = {}) => compute({ violationCode: 'WATER_LAW_83', factors: [sel('EXCEEDANCE', e), sel('DURATION', d), sel('HISTORY', h)], ...extra });

  test('3 + 2 + 1 = 6 falls in the band from 5 (20 %): 100,000 + 900,000 × 0.2 = 280,000', () => {
    const r = water('PERCENT_50_TO_100', 'MONTHS_3_TO_12', 'FIRST');
    expect([r.method, r.table.version, r.score!.toFixed(), r.bandPercent!.toFixed(), r.fine.toFixed(2)]).toEqual(['GRADE', 'YRD-ILLUSTRATIVE-2', '6', '20', '280000.00']);
    expect(r.factors.map((f) => [f.factor, f.grade!.toFixed(), f.amount])).toEqual([['EXCEEDANCE', '3', null], ['DURATION', '2', null], ['HISTORY', '1', null]]);
  });

  test('the lowest score (3) gives the minimum, the highest (11) the maximum', () => {
    expect(water('UNDER_10_PERCENT', 'UNDER_3_MONTHS', 'FIRST').fine.toFixed(2)).toBe('100000.00');
    expect(water('OVER_200_PERCENT', 'OVER_12_MONTHS', 'REPEATED').fine.toFixed(2)).toBe('1000000.00');
  });

  test('the table version decides the method: the same violation on an earlier day is computed by version 1 (PERCENT)', () => {
    const v1 = compute({ violationCode: 'WATER_LAW_83', asOf: '2025-06-30', factors: [sel('IMPACT', 'MEDIUM'), sel('DURATION', 'MONTHS_3_TO_6'), sel('HISTORY', 'FIRST')] });
    expect([v1.table.version, v1.method, v1.fine.toFixed(2)]).toEqual(['YRD-ILLUSTRATIVE-1', 'PERCENT', '199000.00']);
    const named = compute({ violationCode: 'WATER_LAW_83', tableVersion: 'YRD-ILLUSTRATIVE-1', factors: [sel('IMPACT', 'MEDIUM'), sel('DURATION', 'MONTHS_3_TO_6'), sel('HISTORY', 'FIRST')] });
    expect(named.table.version).toBe('YRD-ILLUSTRATIVE-1');
  });
});

describe('method C (COEFFICIENT): base × (start + Σ adjustments), rounded and clamped to the range', () => {
  const air100 = (repeat: string, harm: string, key: string, remedy: string) =>
    compute({ violationCode: 'AIR_LAW_100', factors: [sel('REPEAT_IN_2_YEARS', repeat), sel('SERIOUS_HARM', harm), sel('KEY_AREA', key), sel('PROMPT_REMEDIATION', remedy)] });

  test('1 + 1 + 0 + 0.5 − 0.2 = 2.3 → 20,000 × 2.3 = 46,000', () => {
    const r = air100('YES', 'NO', 'YES', 'YES');
    expect([r.coefficient!.toFixed(), r.fine.toFixed(2), r.clamped]).toEqual(['2.3', '46000.00', false]);
    expect(r.factors.map((f) => f.amount!.toFixed())).toEqual(['20000', '0', '10000', '-4000']);
    expect(r.working).toContain('coefficient = 1 + 1 + 0 + 0.5 − 0.2 = 2.3');
  });

  test('a coefficient of 0.8 gives 16,000, below the legal minimum: clamped to 20,000', () => {
    const r = air100('NO', 'NO', 'NO', 'YES');
    expect([r.exactFine.toFixed(), r.fine.toFixed(2), r.clamped]).toEqual(['16000', '20000.00', true]);
  });
});

describe('decimal exactness', () => {
  test('percentages like 0.1 and 0.2 add exactly (a float would give 0.30000000000000004)', () => {
    const text = tableText({
      violationCode: 'X', legalBasis: 'b', conduct: 'c', method: 'PERCENT', range: { kind: 'FIXED', min: '0', max: '1000' },
      factors: [
        { code: 'A', name: 'a', levels: [{ code: 'L', name: 'l', percent: '0.1' }] },
        { code: 'B', name: 'b', levels: [{ code: 'L', name: 'l', percent: '0.2' }] },
      ],
    });
    const { set } = validate(text);
    const r = compute({ violationCode: 'X', factors: [sel('A', 'L'), sel('B', 'L')] }, [set!]);
    expect(r.percentSum!.toFixed()).toBe('0.3');
    expect(r.exactFine.toFixed()).toBe('3');
    expect(r.fine.toFixed(2)).toBe('3.00');
  });
});

describe('choosing the table version', () => {
  test('no version in force on the day, and a named version that does not exist, are refused', () => {
    expect(refusal(AIR([], { asOf: '2023-06-30' }))).toMatchObject({ field: 'asOf', rule: 'NO_TABLE_IN_FORCE' });
    expect(refusal(AIR([], { tableVersion: 'SHANGHAI-2020' }))).toMatchObject({ field: 'tableVersion', rule: 'UNKNOWN_TABLE_VERSION' });
  });

  test('two versions taking effect on the same day are not guessed between', () => {
    const a = validate(tableText({ violationCode: 'X', legalBasis: 'b', conduct: 'c', method: 'PERCENT', range: { kind: 'FIXED', min: '0', max: '10' }, factors: [{ code: 'A', name: 'a', levels: [{ code: 'L', name: 'l', percent: '1' }] }] })).set!;
    const b = { ...a, version: 'TEST-2' };
    expect(refusal({ violationCode: 'X', factors: [sel('A', 'L')] }, [a, b])).toMatchObject({ field: 'tableVersion', rule: 'AMBIGUOUS_TABLE_VERSION' });
    expect(compute({ violationCode: 'X', factors: [sel('A', 'L')], tableVersion: 'TEST-2' }, [a, b]).table.version).toBe('TEST-2');
  });

  test('a district outside a version\'s jurisdictions finds no table', () => {
    const a = validate(tableText({ violationCode: 'X', legalBasis: 'b', conduct: 'c', method: 'PERCENT', range: { kind: 'FIXED', min: '0', max: '10' }, factors: [{ code: 'A', name: 'a', levels: [{ code: 'L', name: 'l', percent: '1' }] }] })).set!;
    expect(refusal({ violationCode: 'X', factors: [sel('A', 'L')], jurisdiction: 'WUJIANG' }, [a])).toMatchObject({ field: 'asOf', rule: 'NO_TABLE_IN_FORCE' });
    expect(compute({ violationCode: 'X', factors: [sel('A', 'L')], jurisdiction: 'QINGPU' }, [a]).fine.toFixed(2)).toBe('0.10');
  });
});

describe('bad input: a typed error naming the field and the rule', () => {
  const base = [sel('IMPACT', 'MEDIUM'), sel('DURATION', 'MONTHS_3_TO_6'), sel('HISTORY', 'FIRST')];

  test.each([
    ['an unknown violation code', { violationCode: 'AIR_LAW_999', factors: base }, 'violationCode', 'UNKNOWN_VIOLATION_CODE', /no discretion table has violation code AIR_LAW_999/],
    ['a code the named version lacks', { violationCode: 'AIR_LAW_99', tableVersion: 'YRD-ILLUSTRATIVE-2', factors: base }, 'violationCode', 'UNKNOWN_VIOLATION_CODE', /YRD-ILLUSTRATIVE-2 has no entry for AIR_LAW_99/],
    ['an unknown table version', { ...AIR(base), tableVersion: 'NOPE' }, 'tableVersion', 'UNKNOWN_TABLE_VERSION', /no discretion table version NOPE/],
    ['a factor not in the table', AIR([...base, sel('QUANTITY', 'T_1_TO_10')]), 'factors[3].factor', 'FACTOR_NOT_IN_TABLE', /QUANTITY is not a factor of AIR_LAW_99/],
    ['a factor of version 1 used with version 2', { violationCode: 'WATER_LAW_83', factors: base }, 'factors[0].factor', 'FACTOR_NOT_IN_TABLE', /IMPACT is not a factor of WATER_LAW_83 in this table version/],
    ['an unknown level', AIR([sel('IMPACT', 'HUGE'), ...base.slice(1)]), 'factors[0].level', 'UNKNOWN_FACTOR_LEVEL', /HUGE is not a level of IMPACT/],
    ['a factor given twice', AIR([...base, sel('IMPACT', 'LARGE')]), 'factors[3].factor', 'DUPLICATE_FACTOR', /already selected at factors\[0\]/],
    ['a required factor missing', AIR(base.slice(0, 2)), 'factors', 'MISSING_FACTOR', /needs a level for HISTORY/],
    ['a percentage above its level\'s range', AIR([...base, sel('EXCEEDANCE', 'HALF_TO_ONE', '16')]), 'factors[3].percent', 'PERCENT_OUT_OF_RANGE', /16 is outside 5 to 15 %/],
    ['a percentage below its level\'s range', AIR([...base, sel('EXCEEDANCE', 'OVER_ONE', '14.99')]), 'factors[3].percent', 'PERCENT_OUT_OF_RANGE', /14\.99 is outside 15 to 30 %/],
    ['a percentage that contradicts a fixed level', AIR([sel('IMPACT', 'MEDIUM', '7'), ...base.slice(1)]), 'factors[0].percent', 'PERCENT_OUT_OF_RANGE', /fixed percentage 6, got 7/],
    ['no percentage for a level that spans a range', AIR([...base, sel('EXCEEDANCE', 'OVER_ONE')]), 'factors[3].percent', 'PERCENT_REQUIRED', /spans 15 to 30 %/],
    ['a percentage that is not a number', AIR([...base, sel('EXCEEDANCE', 'OVER_ONE', 'twenty')]), 'factors[3].percent', 'NOT_A_NUMBER', /"twenty"/],
    ['a percentage for a GRADE table', { violationCode: 'WATER_LAW_83', factors: [sel('EXCEEDANCE', 'UNDER_10_PERCENT', '5'), sel('DURATION', 'UNDER_3_MONTHS'), sel('HISTORY', 'FIRST')] }, 'factors[0].percent', 'PERCENT_NOT_APPLICABLE', /takes no percentage/],
    ['no base for a rate of the investment', { violationCode: 'EIA_LAW_31', factors: [] }, 'baseAmount', 'BASE_REQUIRED', /rate of the 建设项目总投资额 \(INVESTMENT\)/],
    ['a base for a fixed range', { ...AIR(base), baseAmount: '1000' }, 'baseAmount', 'BASE_NOT_USED', /fixed legal range/],
    ['a base of zero', { violationCode: 'EIA_LAW_31', baseAmount: '0', factors: [] }, 'baseAmount', 'BASE_NOT_POSITIVE', /positive amount/],
  ] as Array<[string, DiscretionRequest, string, string, RegExp]>)('%s', (_what, req, field, rule, message) => {
    const e = refusal(req);
    expect({ field: e.field, rule: e.rule }).toEqual({ field, rule });
    expect(e.problem).toMatch(message);
  });

  test('a result outside the legal range (a mitigating level below the minimum) is refused, not clamped', () => {
    const { set } = validate(tableText({
      violationCode: 'X', legalBasis: '某法第一条', conduct: 'c', method: 'PERCENT', range: { kind: 'FIXED', min: '100000', max: '1000000' },
      factors: [{ code: 'MITIGATION', name: 'm', levels: [{ code: 'NONE', name: 'n', percent: '0' }, { code: 'STRONG', name: 's', percent: '-10' }] }],
    }));
    const e = refusal({ violationCode: 'X', factors: [sel('MITIGATION', 'STRONG')] }, [set!]);
    // 100,000 + 900,000 × (−0.10) = 10,000, below 100,000.
    expect({ field: e.field, rule: e.rule }).toEqual({ field: 'factors', rule: 'FINE_OUT_OF_LEGAL_RANGE' });
    expect(e.problem).toBe('the factors give 10000 yuan, outside the legal range 100000 to 1000000 yuan of 某法第一条');
  });
});

describe('validating a table file (file:line problems)', () => {
  test('the bundled tables are valid and marked illustrative', () => {
    expect(tables().map((s) => [s.version, s.illustrative, s.entries.length])).toEqual([['YRD-ILLUSTRATIVE-1', true, 6], ['YRD-ILLUSTRATIVE-2', true, 1]]);
  });

  test('each kind of mistake is reported on its line', () => {
    const text = `{
  "version": "TEST-1", "title": "t", "illustrative": true, "jurisdictions": ["QINGPU"],
  "effectiveFrom": "2026-02-30", "source": "s", "rounding": { "unit": "0.001", "mode": "HALF_UP" },
  "entries": [
    { "violationCode": "A", "legalBasis": "b", "conduct": "c", "method": "PERCENT",
      "range": { "kind": "FIXED", "min": "10", "max": "5" },
      "factors": [ { "code": "F", "name": "f", "levels": [
        { "code": "L1", "name": "l", "percent": "120" },
        { "code": "L2", "name": "l", "grade": "2" },
        { "code": "L3", "name": "l", "percentMin": "9", "percentMax": "3" }
      ] } ] },
    { "violationCode": "A", "legalBasis": "b", "conduct": "c", "method": "GRADE", "factorSet": "MISSING",
      "range": { "kind": "BASE_RATE", "minRate": "0.01" } },
    { "violationCode": "B", "legalBasis": "b", "conduct": "c", "method": "GRADE",
      "range": { "kind": "FIXED", "min": "0", "max": "10" },
      "factors": [ { "code": "G", "name": "g", "levels": [ { "code": "L", "name": "l", "grade": "1" } ] } ],
      "bands": [ { "fromScore": "2", "percent": "0" } ] },
    { "violationCode": "c", "legalBasis": "b", "conduct": "c", "method": "PERCENT", "range": { "kind": "FIXED" }, "factors": [], "extra": 1 }
  ]
}`;
    expect(validate(text).problems).toEqual([
      '18: unknown field "entries[3].extra"',
      '18: entries[3].violationCode: must be an upper-case code like AIR_LAW_99',
      '18: entries[3].factors: must NOT have fewer than 1 items',
    ]);
    const fixed = text.replace(`,
    { "violationCode": "c", "legalBasis": "b", "conduct": "c", "method": "PERCENT", "range": { "kind": "FIXED" }, "factors": [], "extra": 1 }`, '');
    expect(validate(fixed).problems).toEqual([
      '3: effectiveFrom: 2026-02-30 is not a calendar day',
      '3: rounding unit 0.001 must be a positive whole number of fen (0.01, 1, 100…)',
      '5: duplicate violationCode A',
      '6: legal range 10..5 must satisfy 0 ≤ min ≤ max',
      '8: A F.L1: percent 120 is outside −100..100',
      '9: A F.L2: a level of a PERCENT table gives percent, or percentMin and percentMax, this one gives grade',
      '10: A F.L3: percentMin 9 is above percentMax 3',
      '12: duplicate violationCode A',
      '12: entry A: factorSet MISSING is not defined under factorSets',
      '17: B: the first band starts at 2, but the factors can score as low as 1',
    ]);
  });

  test('a syntax error is a problem with its line, not an exception', () => {
    expect(validate('{\n  "version": "X",\n  "title": "t"\n  "source": "s"\n}').problems).toEqual(['4: syntax error: Missing , between flow map items']);
    expect(validate('{\n  "version": "X",\n  "version": "Y"\n}').problems).toEqual(['3: syntax error: Map keys must be unique']);
  });
});
