import { parseDataText } from '../../src/domain/enforcement/data-files';
import { EnforcementInputError } from '../../src/domain/enforcement/errors';
import { evaluateMinorViolation, MinorViolationFacts, MinorViolationList, validateMinorViolationFile } from '../../src/domain/enforcement/minor-violations';
import { enforcementData } from '../../src/domain/enforcement/registry';

const TODAY = '2026-12-06';
const lists = (): MinorViolationList[] => enforcementData().minorViolationLists;
const at = (s: string): Date => new Date(s);

/** Facts meeting every condition of example item 3 (air law art. 99, slight exceedance, first offence). */
const exceedance = (over: Partial<MinorViolationFacts> = {}): MinorViolationFacts => ({
  violationCode: 'AIR_LAW_99',
  conduct: 'EXCEEDING_LIMIT',
  occurredOn: '2026-03-01',
  discoveredAt: at('2026-03-02T10:00:00+08:00'),
  correctedAt: at('2026-03-03T06:30:00+08:00'),
  harm: 'MINOR',
  priorOffences: [],
  measures: [{ code: 'POLLUTANTS_EXCEEDING', value: 1 }, { code: 'EXCEEDANCE_PERCENT', value: '8.5' }],
  circumstances: [],
  ...over,
});

const evaluate = (f: MinorViolationFacts, l: MinorViolationList[] = lists()) => evaluateMinorViolation(l, f, TODAY);
/** The condition of the only candidate rule with this kind (the first, for THRESHOLD). */
const condition = (f: MinorViolationFacts, kind: string) => evaluate(f).candidates[0].conditions.find((c) => c.kind === kind)!;

function refusal(f: MinorViolationFacts): EnforcementInputError {
  try {
    evaluate(f);
  } catch (e) {
    if (e instanceof EnforcementInputError) return e;
    throw e;
  }
  throw new Error('expected the facts to be refused');
}

describe('the example list', () => {
  test('is labelled as examples, with its validity, three items and both statutory modes', () => {
    const [l] = lists();
    expect([l.listId, l.illustrative, l.validFrom, l.validTo]).toEqual(['EXAMPLE-PATTERNS-1', true, '2023-07-01', '2028-06-30']);
    expect(l.items.map((i) => [i.itemNo, i.violationCode, i.conduct, i.mode])).toEqual([
      [1, 'SOLID_WASTE_LAW_112_HW', 'HW_LABEL_MISSING', 'FIRST_OFFENCE'],
      [2, 'EIA_LAW_31', 'EIA_REGISTRATION_NOT_FILED', 'MINOR_NO_HARM'],
      [3, 'AIR_LAW_99', 'EXCEEDING_LIMIT', 'FIRST_OFFENCE'],
    ]);
  });
});

describe('which rule applies, and why', () => {
  test('every condition met: no penalty (may not penalise), education, first offence used', () => {
    const r = evaluate(exceedance());
    expect([r.outcome, r.obligation, r.educationRequired, r.firstOffenceUsed, r.applied!.rule.itemNo]).toEqual(['NO_PENALTY', 'MAY_NOT_PENALISE', true, true, 3]);
    expect(r.applied!.conditions.map((c) => [c.kind, c.status, c.actual])).toEqual([
      ['CONDUCT', 'MET', 'conduct EXCEEDING_LIMIT'],
      ['FIRST_OFFENCE', 'MET', 'no counted offence from 2025-03-01 to 2026-02-28'],
      ['THRESHOLD', 'MET', 'POLLUTANTS_EXCEEDING = 1'],
      ['THRESHOLD', 'MET', 'EXCEEDANCE_PERCENT = 8.5'],
      ['CORRECTED_WITHIN', 'MET', 'corrected 20 h 30 min after discovery'],
      ['NOT_DURING', 'MET', 'HEAVY_POLLUTION_ALERT not in force'],
      ['HARM_AT_MOST', 'MET', 'harm MINOR'],
    ]);
    expect(r.explanation).toBe('EXAMPLE-PATTERNS-1 item 3 applies: the party may be left unpenalised (处罚法 art. 33) and is to be educated');
  });

  test('the MINOR_NO_HARM mode: shall not penalise, and uses no first offence', () => {
    const r = evaluate({
      violationCode: 'EIA_LAW_31', conduct: 'EIA_REGISTRATION_NOT_FILED', occurredOn: '2026-05-01',
      discoveredAt: at('2026-05-06T09:00:00+08:00'), correctedAt: at('2026-05-13T17:00:00+08:00'), harm: 'NONE',
    });
    // Discovered 05-06, seven days end on 05-13: corrected that day.
    expect([r.outcome, r.obligation, r.firstOffenceUsed, r.educationRequired]).toEqual(['NO_PENALTY', 'SHALL_NOT_PENALISE', false, true]);
    expect(r.applied!.conditions[1]).toEqual({ kind: 'CORRECTED_WITHIN', requirement: 'corrected within 7 days of discovery', status: 'MET', actual: 'discovery on 2026-05-06, corrected on 2026-05-13; the last day allowed is 2026-05-13' });
  });

  test('no item for the violation code: not applicable, saying so', () => {
    const r = evaluate({ violationCode: 'WATER_LAW_83', occurredOn: '2026-03-01', discoveredAt: at('2026-03-02T10:00:00+08:00') });
    expect([r.outcome, r.applied, r.candidates, r.educationRequired]).toEqual(['NOT_APPLICABLE', null, [], false]);
    expect(r.explanation).toBe('no minor-violation list has an item for WATER_LAW_83');
  });

  test('a missing fact leaves the rule undetermined, never met', () => {
    const r = evaluate(exceedance({ harm: null, circumstances: null }));
    expect(r.outcome).toBe('UNDETERMINED');
    expect(r.candidates[0].result).toBe('UNDETERMINED');
    expect(r.explanation).toBe('no rule is met yet; EXAMPLE-PATTERNS-1 item 3 needs facts: circumstances not given, harm not given');
  });

  test('one condition not met outweighs a missing fact', () => {
    const r = evaluate(exceedance({ harm: null, measures: [{ code: 'POLLUTANTS_EXCEEDING', value: 2 }, { code: 'EXCEEDANCE_PERCENT', value: 5 }] }));
    expect([r.outcome, r.candidates[0].result]).toEqual(['NOT_APPLICABLE', 'NOT_MET']);
    expect(r.explanation).toBe('no rule applies: EXAMPLE-PATTERNS-1 item 3: not met: POLLUTANTS_EXCEEDING ≤ 1 (POLLUTANTS_EXCEEDING = 2)');
  });

  test('a list in force neither when the violation occurred nor at the decision does not count', () => {
    const r = evaluate(exceedance({ occurredOn: '2023-03-01', discoveredAt: at('2023-03-02T10:00:00+08:00'), correctedAt: at('2023-03-02T12:00:00+08:00'), decidingOn: '2023-04-01' }));
    expect([r.outcome, r.candidates[0].result]).toEqual(['NOT_APPLICABLE', 'NOT_IN_FORCE']);
    // Decided after the list took effect: the lighter later rule counts (处罚法 art. 37).
    const later = evaluate(exceedance({ occurredOn: '2023-03-01', discoveredAt: at('2023-03-02T10:00:00+08:00'), correctedAt: at('2023-03-02T12:00:00+08:00'), decidingOn: '2023-07-01' }));
    expect(later.outcome).toBe('NO_PENALTY');
  });

  test('a district the list does not cover finds no rule', () => {
    const l = { ...lists()[0], jurisdictions: ['QINGPU'] };
    expect(evaluate(exceedance({ jurisdiction: 'WUJIANG' }), [l]).explanation).toBe('no minor-violation list applying to WUJIANG has an item for AIR_LAW_99');
    expect(evaluate(exceedance({ jurisdiction: 'QINGPU' }), [l]).outcome).toBe('NO_PENALTY');
  });

  test('a SHALL_NOT rule is chosen before a MAY_NOT one when both apply', () => {
    const base = lists()[0];
    const shall = { ...base.items[2], itemNo: 9, mode: 'MINOR_NO_HARM' as const, conditions: base.items[2].conditions.filter((c) => c.kind !== 'FIRST_OFFENCE').map((c) => (c.kind === 'HARM_AT_MOST' ? { ...c, level: 'NONE' as const } : c)) };
    const r = evaluate(exceedance({ harm: 'NONE' }), [{ ...base, items: [...base.items, shall] }]);
    expect(r.candidates.map((c) => [c.rule.itemNo, c.result])).toEqual([[3, 'APPLIES'], [9, 'APPLIES']]);
    expect([r.applied!.rule.itemNo, r.obligation, r.firstOffenceUsed]).toEqual([9, 'SHALL_NOT_PENALISE', false]);
  });
});

describe('each condition', () => {
  test('CONDUCT: another conduct under the same code is not met; none given is unknown', () => {
    expect(condition(exceedance({ conduct: 'HW_LABEL_MISSING' }), 'CONDUCT')).toMatchObject({ status: 'NOT_MET', actual: 'conduct HW_LABEL_MISSING' });
    expect(condition(exceedance({ conduct: null }), 'CONDUCT')).toMatchObject({ status: 'UNKNOWN', actual: 'conduct not given' });
  });

  test('FIRST_OFFENCE: an earlier same violation inside the window counts; outside it, or another violation, does not', () => {
    // Window for 2026-03-01 with a 1-year look-back: 2025-03-01 to 2026-02-28.
    const inside = condition(exceedance({ priorOffences: [{ violationCode: 'AIR_LAW_99', on: '2025-03-01', firstOffenceUsed: true }] }), 'FIRST_OFFENCE');
    expect(inside).toMatchObject({ status: 'NOT_MET', actual: '1 earlier from 2025-03-01 to 2026-02-28: AIR_LAW_99 on 2025-03-01 (first offence used)' });
    expect(condition(exceedance({ priorOffences: [{ violationCode: 'AIR_LAW_99', on: '2025-02-28' }] }), 'FIRST_OFFENCE').status).toBe('MET');
    expect(condition(exceedance({ priorOffences: [{ violationCode: 'WATER_LAW_83', on: '2025-06-01' }] }), 'FIRST_OFFENCE').status).toBe('MET');
    expect(condition(exceedance({ priorOffences: [{ violationCode: 'AIR_LAW_99', on: '2026-03-05' }] }), 'FIRST_OFFENCE').status).toBe('MET'); // a later offence is not earlier
    expect(condition(exceedance({ priorOffences: null }), 'FIRST_OFFENCE')).toMatchObject({ status: 'UNKNOWN', actual: 'priorOffences not given' });
  });

  test('CORRECTED_WITHIN hours: 24 h exactly is within, a minute more is not', () => {
    expect(condition(exceedance({ correctedAt: at('2026-03-03T10:00:00+08:00') }), 'CORRECTED_WITHIN')).toMatchObject({ status: 'MET', actual: 'corrected 24 h 0 min after discovery' });
    expect(condition(exceedance({ correctedAt: at('2026-03-03T10:01:00+08:00') }), 'CORRECTED_WITHIN')).toMatchObject({ status: 'NOT_MET', actual: 'corrected 24 h 1 min after discovery' });
    expect(condition(exceedance({ correctedAt: null }), 'CORRECTED_WITHIN').status).toBe('UNKNOWN');
  });

  test('CORRECTED_WITHIN the same day, counted in China time', () => {
    const label = (over: Partial<MinorViolationFacts>) => evaluate({
      violationCode: 'SOLID_WASTE_LAW_112_HW', conduct: 'HW_LABEL_MISSING', occurredOn: '2026-04-01', discoveredAt: at('2026-04-01T09:00:00+08:00'), harm: 'MINOR', priorOffences: [], ...over,
    }).candidates[0].conditions.find((c) => c.kind === 'CORRECTED_WITHIN')!;
    // 23:30 in Shanghai is 15:30 UTC the same day; 00:30 the next day is 16:30 UTC, still the same UTC day.
    expect(label({ correctedAt: at('2026-04-01T23:30:00+08:00') })).toMatchObject({ status: 'MET' });
    expect(label({ correctedAt: at('2026-04-02T00:30:00+08:00') })).toMatchObject({ status: 'NOT_MET', actual: 'discovery on 2026-04-01, corrected on 2026-04-02' });
  });

  test('CORRECTED_WITHIN days: the start day is not counted', () => {
    const eia = (correctedAt: string) => evaluate({
      violationCode: 'EIA_LAW_31', conduct: 'EIA_REGISTRATION_NOT_FILED', occurredOn: '2026-09-20', discoveredAt: at('2026-09-28T09:00:00+08:00'), correctedAt: at(correctedAt), harm: 'NONE',
    }).candidates[0].conditions[1];
    expect(eia('2026-10-05T18:00:00+08:00').status).toBe('MET'); // 09-28 + 7 = 10-05, calendar days even over the holiday
    expect(eia('2026-10-06T08:00:00+08:00').status).toBe('NOT_MET');
  });

  test('HARM_AT_MOST: SIGNIFICANT harm is not minor', () => {
    expect(condition(exceedance({ harm: 'SIGNIFICANT' }), 'HARM_AT_MOST')).toMatchObject({ status: 'NOT_MET', actual: 'harm SIGNIFICANT' });
    expect(condition(exceedance({ harm: 'NONE' }), 'HARM_AT_MOST').status).toBe('MET');
  });

  test('THRESHOLD: 10 % is within "≤ 10", 10.01 % is not; compared as decimals', () => {
    const pct = (v: string) => evaluate(exceedance({ measures: [{ code: 'POLLUTANTS_EXCEEDING', value: 1 }, { code: 'EXCEEDANCE_PERCENT', value: v }] })).candidates[0].conditions[3];
    expect(pct('10')).toMatchObject({ requirement: 'EXCEEDANCE_PERCENT ≤ 10', status: 'MET' });
    expect(pct('10.00')).toMatchObject({ status: 'MET', actual: 'EXCEEDANCE_PERCENT = 10' });
    expect(pct('10.01')).toMatchObject({ status: 'NOT_MET' });
    expect(evaluate(exceedance({ measures: [] })).candidates[0].conditions[2]).toMatchObject({ status: 'UNKNOWN', actual: 'POLLUTANTS_EXCEEDING not given' });
  });

  test('NOT_DURING: a heavy-pollution alert in force excludes the rule', () => {
    expect(condition(exceedance({ circumstances: ['HEAVY_POLLUTION_ALERT'] }), 'NOT_DURING')).toMatchObject({ status: 'NOT_MET', actual: 'HEAVY_POLLUTION_ALERT in force' });
    expect(evaluate(exceedance({ circumstances: ['HEAVY_POLLUTION_ALERT'] })).outcome).toBe('NOT_APPLICABLE');
  });
});

describe('bad facts: a typed error naming the field and the rule', () => {
  test.each([
    ['corrected before it was discovered', { correctedAt: at('2026-03-02T09:00:00+08:00') }, 'correctedAt', 'BEFORE_DISCOVERY'],
    ['discovered before it occurred', { discoveredAt: at('2026-02-28T10:00:00+08:00') }, 'discoveredAt', 'BEFORE_OCCURRENCE'],
    ['an unknown measure', { measures: [{ code: 'PH', value: 7 }] }, 'measures[0].code', 'UNKNOWN_MEASURE'],
    ['a measure given twice', { measures: [{ code: 'EXCEEDANCE_PERCENT', value: 7 }, { code: 'EXCEEDANCE_PERCENT', value: 8 }] }, 'measures[1].code', 'DUPLICATE_MEASURE'],
    ['a measure that is not a number', { measures: [{ code: 'EXCEEDANCE_PERCENT', value: 'ten' }] }, 'measures[0].value', 'NOT_A_NUMBER'],
    ['an unknown circumstance', { circumstances: ['RAIN'] }, 'circumstances[0]', 'UNKNOWN_CIRCUMSTANCE'],
    ['an unknown conduct', { conduct: 'SMOKING' }, 'conduct', 'UNKNOWN_CONDUCT'],
    ['a decision before the violation', { decidingOn: '2026-02-01' }, 'decidingOn', 'BEFORE_OCCURRENCE'],
    ['a prior offence without a real day', { priorOffences: [{ violationCode: 'AIR_LAW_99', on: '2026-02-30' }] }, 'priorOffences[0].on', 'NOT_A_DAY'],
  ] as Array<[string, Partial<MinorViolationFacts>, string, string]>)('%s', (_what, over, field, rule) => {
    expect(refusal(exceedance(over))).toMatchObject({ field, rule });
  });
});

describe('loading a list file (the official list, once obtained)', () => {
  function load(text: string): { list?: MinorViolationList; problems: string[] } {
    const { source, problems } = parseDataText(text, 'yrd-2023.yaml');
    if (!source) return { problems: problems.map((p) => `${p.line}: ${p.message}`) };
    const out: Array<{ line: number; message: string }> = [];
    const list = validateMinorViolationFile(source, (p, message) => out.push({ line: source.lineOf(p), message }));
    return { list, problems: out.sort((a, b) => a.line - b.line).map((p) => `${p.line}: ${p.message}`) };
  }

  const header = `listId: YRD-2023
title: 长江三角洲区域生态环境领域轻微违法行为依法不予行政处罚清单
issuer: 沪苏浙皖生态环境厅（局）、司法厅（局）
jurisdictions: [QINGPU, WUJIANG, JIASHAN]
validFrom: 2023-07-01
validTo: 2028-06-30
source: the official text
illustrative: false
measures:
  - { code: EXCEEDANCE_PERCENT, name: 超标幅度, unit: "%" }
`;

  test('a well-formed YAML list loads, with the look-back in months', () => {
    const { list, problems } = load(`${header}items:
  - itemNo: 1
    violationCode: WATER_LAW_83
    description: d
    legalBasis: b
    mode: FIRST_OFFENCE
    conditions:
      - { kind: FIRST_OFFENCE, lookBack: { months: 18 } }
      - { kind: CORRECTED_WITHIN, within: { amount: 3, unit: WORKING_DAYS }, from: ORDERED }
      - { kind: HARM_AT_MOST, level: MINOR }
      - { kind: THRESHOLD, measure: EXCEEDANCE_PERCENT, comparator: LT, value: "20" }
`);
    expect(problems).toEqual([]);
    expect(list!.items[0].conditions).toEqual([
      { kind: 'FIRST_OFFENCE', lookBackMonths: 18, scope: 'SAME_VIOLATION' },
      { kind: 'CORRECTED_WITHIN', amount: 3, unit: 'WORKING_DAYS', from: 'ORDERED' },
      { kind: 'HARM_AT_MOST', level: 'MINOR' },
      { kind: 'THRESHOLD', measure: 'EXCEEDANCE_PERCENT', comparator: 'LT', value: expect.anything() },
    ]);
  });

  test('mistakes are reported on their lines, with the statute\'s requirements of each mode', () => {
    const { list, problems } = load(`${header}items:
  - itemNo: 1
    violationCode: WATER_LAW_83
    conduct: UNDECLARED
    description: d
    legalBasis: b
    mode: MINOR_NO_HARM
    conditions:
      - { kind: HARM_AT_MOST, level: MINOR }
      - { kind: THRESHOLD, measure: PH, comparator: LTE, value: "9" }
      - { kind: NOT_DURING, circumstance: RAIN, lookBack: { years: 1 } }
  - itemNo: 1
    violationCode: AIR_LAW_99
    description: d
    legalBasis: b
    mode: FIRST_OFFENCE
    conditions:
      - { kind: CORRECTED_WITHIN, within: { unit: HOURS } }
`);
    expect(list).toBeUndefined();
    expect(problems).toEqual([
      '12: duplicate itemNo 1',
      '14: item 1: conduct UNDECLARED is not declared under conducts',
      '17: item 1: mode MINOR_NO_HARM (处罚法 art. 33 para. 1, no harmful consequence) needs a HARM_AT_MOST NONE condition',
      '18: item 1: both modes of 处罚法 art. 33 require prompt correction: add a CORRECTED_WITHIN condition',
      '20: item 1: measure PH is not declared under measures',
      '21: item 1: lookBack does not belong to a NOT_DURING condition',
      '21: item 1: circumstance RAIN is not declared under circumstances',
      '22: duplicate itemNo 1',
      '26: item 1: mode FIRST_OFFENCE (处罚法 art. 33 para. 1, 初次违法) needs a FIRST_OFFENCE condition with its look-back',
      '26: item 1: mode FIRST_OFFENCE needs a HARM_AT_MOST condition (MINOR or NONE)',
      '28: item 1: within gives an amount for HOURS',
    ]);
  });
});
