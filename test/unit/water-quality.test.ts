import { assessWater, StandardInputError, WaterClass, Waterbody, GB3838_2002 } from '../../src/domain/standards/water-quality';

// Expected classes are read by hand from GB 3838-2002 Table 1 (standards.md §5.1), not from
// another implementation.

function classOf(parameter: string, value: string | number, waterbody: Waterbody = 'RIVER'): WaterClass | null {
  const r = assessWater({ waterbody, values: [{ parameter, value }, { parameter: 'w01001', value: '7' }] });
  return r.items[0].waterClass;
}

function inputError(fn: () => unknown): StandardInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StandardInputError);
    return e as StandardInputError;
  }
  throw new Error('expected a StandardInputError');
}

describe('GB 3838-2002 data file', () => {
  it('carries its version, effective date and source, and all 24 Table 1 items', () => {
    expect(GB3838_2002.standard).toBe('GB 3838-2002');
    expect(GB3838_2002.version).toBe('2002');
    expect(GB3838_2002.effectiveFrom).toBe('2002-06-01');
    expect(GB3838_2002.parameters.size).toBe(24);
  });
});

describe('per-item class, "≤" items', () => {
  it.each([
    // COD limits 15 / 15 / 20 / 30 / 40: I and II share 15, so 15 is class I.
    ['w01018', '15', 'I'],
    ['w01018', '15.01', 'III'],
    ['w01018', '20', 'III'],
    ['w01018', '20.1', 'IV'],
    ['w01018', '40', 'V'],
    ['w01018', '40.1', 'WORSE_THAN_V'],
    // NH3-N 0.15 / 0.5 / 1.0 / 1.5 / 2.0
    ['w21003', '0.15', 'I'],
    ['w21003', '0.16', 'II'],
    ['w21003', '0.5', 'II'],
    ['w21003', '0.51', 'III'],
    ['w21003', '1.0', 'III'],
    ['w21003', '1.5', 'IV'],
    ['w21003', '2.0', 'V'],
    ['w21003', '2.01', 'WORSE_THAN_V'],
    // CODMn 2 / 4 / 6 / 10 / 15
    ['w01019', '2', 'I'],
    ['w01019', '2.1', 'II'],
    ['w01019', '15', 'V'],
    ['w01019', '15.1', 'WORSE_THAN_V'],
    // Hg 0.00005 / 0.00005 / 0.0001 / 0.001 / 0.001
    ['w20111', '0.00005', 'I'],
    ['w20111', '0.00006', 'III'],
    ['w20111', '0.001', 'IV'],
    ['w20111', '0.0011', 'WORSE_THAN_V'],
    // Cu 0.01 / 1.0 / 1.0 / 1.0 / 1.0: anything in (0.01, 1.0] is II, the best class sharing 1.0.
    ['w20122', '0.01', 'I'],
    ['w20122', '0.011', 'II'],
    ['w20122', '1.0', 'II'],
    ['w20122', '1.01', 'WORSE_THAN_V'],
    // Cyanide 0.005 / 0.05 / 0.2 / 0.2 / 0.2
    ['w21016', '0.2', 'III'],
    ['w21016', '0.21', 'WORSE_THAN_V'],
    // 0 is the cleanest possible reading.
    ['w01017', 0, 'I'],
  ] as const)('%s %s → %s', (parameter, value, expected) => {
    expect(classOf(parameter, value)).toBe(expected);
  });

  it('accepts numbers and decimal strings alike, including exponent notation', () => {
    expect(classOf('w21003', 0.5)).toBe('II');
    expect(classOf('w21003', ' 0.5 ')).toBe('II');
    expect(classOf('w20111', '5e-5')).toBe('I');
  });
});

describe('total phosphorus: river and lake/reservoir columns', () => {
  it('TP 0.05 is class II in a river (0.02 < 0.05 ≤ 0.1) but III in a lake (0.025 < 0.05 ≤ 0.05)', () => {
    expect(classOf('w21011', '0.05', 'RIVER')).toBe('II');
    expect(classOf('w21011', '0.05', 'LAKE_RESERVOIR')).toBe('III');
  });

  it('TP 0.2 is class III in a river and V in a lake; 0.21 is worse than V in a lake', () => {
    expect(classOf('w21011', '0.2', 'RIVER')).toBe('III');
    expect(classOf('w21011', '0.2', 'LAKE_RESERVOIR')).toBe('V');
    expect(classOf('w21011', '0.21', 'LAKE_RESERVOIR')).toBe('WORSE_THAN_V');
    expect(classOf('w21011', '0.21', 'RIVER')).toBe('IV');
  });

  it('other items use the same column for both waterbodies', () => {
    expect(classOf('w01018', '25', 'RIVER')).toBe('IV');
    expect(classOf('w01018', '25', 'LAKE_RESERVOIR')).toBe('IV');
  });
});

describe('dissolved oxygen ("≥") and pH (range)', () => {
  it.each([
    ['8', 'I'],
    ['7.5', 'I'],
    ['7.49', 'II'],
    ['6', 'II'],
    ['5', 'III'],
    ['4.99', 'IV'],
    ['3', 'IV'],
    ['2', 'V'],
    ['1.9', 'WORSE_THAN_V'],
    ['0', 'WORSE_THAN_V'],
  ] as const)('DO %s → %s', (value, expected) => {
    expect(classOf('w01009', value)).toBe(expected);
  });

  it.each([
    ['6', 'I'],
    ['7.2', 'I'],
    ['9', 'I'],
    ['5.9', 'WORSE_THAN_V'],
    ['9.1', 'WORSE_THAN_V'],
  ] as const)('pH %s → %s', (value, expected) => {
    const r = assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01001', value }] });
    expect(r.items[0].waterClass).toBe(expected);
    expect(r.waterClass).toBe(expected);
  });
});

describe('section class by the single-factor method', () => {
  it('is the worst class of the evaluated items, with the grade of the 2011 method', () => {
    const r = assessWater({
      waterbody: 'RIVER',
      values: [
        { parameter: 'w01018', value: '12' }, // I
        { parameter: 'w21003', value: '0.8' }, // III
        { parameter: 'w21011', value: '0.08' }, // II
      ],
    });
    expect(r.waterClass).toBe('III');
    expect(r.grade).toBe('良好');
    expect(r.mainPollutants).toEqual([]);
    expect(r.standard).toBe('GB 3838-2002');
  });

  it.each([
    ['w01018', '10', 'I', '优'],
    ['w21003', '0.3', 'II', '优'],
    ['w01018', '18', 'III', '良好'],
    ['w01018', '30', 'IV', '轻度污染'],
    ['w01018', '40', 'V', '中度污染'],
    ['w01018', '41', 'WORSE_THAN_V', '重度污染'],
  ] as const)('%s %s → section %s, grade %s', (parameter, value, waterClass, grade) => {
    const r = assessWater({ waterbody: 'RIVER', values: [{ parameter, value }] });
    expect(r.waterClass).toBe(waterClass);
    expect(r.grade).toBe(grade);
  });

  it('classifies TN, fecal coliform and water temperature but keeps them out of the section class', () => {
    const r = assessWater({
      waterbody: 'LAKE_RESERVOIR',
      values: [
        { parameter: 'w01018', value: '10' }, // I
        { parameter: 'w21001', value: '5' }, // TN worse than V (V is 2.0)
        { parameter: 'w02003', value: '50000' }, // fecal coliform worse than V (V is 40000)
        { parameter: 'w01010', value: '24.5' }, // water temperature: no class
      ],
    });
    expect(r.waterClass).toBe('I');
    expect(r.grade).toBe('优');
    expect(r.items).toEqual([
      { parameter: 'w01018', waterClass: 'I', evaluated: true },
      { parameter: 'w21001', waterClass: 'WORSE_THAN_V', evaluated: false },
      { parameter: 'w02003', waterClass: 'WORSE_THAN_V', evaluated: false },
      { parameter: 'w01010', waterClass: null, evaluated: false },
    ]);
    expect(r.mainPollutants).toEqual([]);
  });

  it('classifies TN for a river too, for reference only', () => {
    const r = assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w21001', value: '0.5' }, { parameter: 'w01018', value: '35' }] });
    expect(r.items[0]).toEqual({ parameter: 'w21001', waterClass: 'II', evaluated: false });
    expect(r.waterClass).toBe('V');
  });

  it('fecal coliform uses 个/L limits 200 / 2000 / 10000 / 20000 / 40000', () => {
    expect(classOf('w02003', '200')).toBe('I');
    expect(classOf('w02003', '10000')).toBe('III');
    expect(classOf('w02003', '10001')).toBe('IV');
  });
});

describe('main pollutants', () => {
  it('names none when the section is III or better', () => {
    const r = assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01018', value: '20' }] });
    expect(r.mainPollutants).toEqual([]);
  });

  it('orders by worst class, then exceedance ratio, keeping the top 3', () => {
    // Ratios by hand, (C − III) / III:
    // TP 0.5 (river III 0.2): class worse than V, (0.5 − 0.2)/0.2 = 1.50
    // CODMn 12 (III 6): class V, (12 − 6)/6 = 1.00
    // NH3-N 1.8 (III 1.0): class V, 0.80
    // COD 35 (III 20): class V, 0.75 → 4th, left out
    // BOD5 5 (III 4): class IV, 0.25 → left out
    const r = assessWater({
      waterbody: 'RIVER',
      values: [
        { parameter: 'w01018', value: '35' },
        { parameter: 'w21003', value: '1.8' },
        { parameter: 'w01019', value: '12' },
        { parameter: 'w01017', value: '5' },
        { parameter: 'w21011', value: '0.5' },
      ],
    });
    expect(r.waterClass).toBe('WORSE_THAN_V');
    expect(r.mainPollutants).toEqual([
      { parameter: 'w21011', waterClass: 'WORSE_THAN_V', exceedance: '1.50' },
      { parameter: 'w01019', waterClass: 'V', exceedance: '1.00' },
      { parameter: 'w21003', waterClass: 'V', exceedance: '0.80' },
    ]);
  });

  it('rounds the ratio to 2 decimals half up, in decimal arithmetic', () => {
    // COD 26.9: (26.9 − 20)/20 = 0.345 exactly → 0.35 (floats give 0.34499…, i.e. 0.34).
    // CODMn 7: (7 − 6)/6 = 0.1666… → 0.17.
    const r = assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01018', value: '26.9' }, { parameter: 'w01019', value: 7 }] });
    expect(r.waterClass).toBe('IV');
    expect(r.mainPollutants).toEqual([
      { parameter: 'w01018', waterClass: 'IV', exceedance: '0.35' },
      { parameter: 'w01019', waterClass: 'IV', exceedance: '0.17' },
    ]);
  });

  it('uses the lake column of TP for the ratio of a lake', () => {
    // Lake TP III limit 0.05: (0.15 − 0.05)/0.05 = 2.00, class V (0.1 < 0.15 ≤ 0.2).
    const r = assessWater({ waterbody: 'LAKE_RESERVOIR', values: [{ parameter: 'w21011', value: '0.15' }] });
    expect(r.mainPollutants).toEqual([{ parameter: 'w21011', waterClass: 'V', exceedance: '2.00' }]);
  });

  it('lists DO and pH without a ratio, after same-class items that have one', () => {
    const r = assessWater({
      waterbody: 'RIVER',
      values: [
        { parameter: 'w01009', value: '1.9' }, // worse than V, no ratio
        { parameter: 'w01001', value: '9.1' }, // worse than V, no ratio
        { parameter: 'w01018', value: '45' }, // worse than V, (45 − 20)/20 = 1.25
      ],
    });
    expect(r.mainPollutants).toEqual([
      { parameter: 'w01018', waterClass: 'WORSE_THAN_V', exceedance: '1.25' },
      { parameter: 'w01009', waterClass: 'WORSE_THAN_V', exceedance: null },
      { parameter: 'w01001', waterClass: 'WORSE_THAN_V', exceedance: null },
    ]);
  });

  it('a worse class beats a larger ratio', () => {
    // DO 2.5 is class V; BOD5 9 is class V with ratio 1.25; NH3-N 2.1 is worse than V with ratio 1.10.
    const r = assessWater({
      waterbody: 'RIVER',
      values: [
        { parameter: 'w01009', value: '2.5' },
        { parameter: 'w01017', value: '9' },
        { parameter: 'w21003', value: '2.1' },
      ],
    });
    expect(r.mainPollutants.map((m) => [m.parameter, m.exceedance])).toEqual([
      ['w21003', '1.10'],
      ['w01017', '1.25'],
      ['w01009', null],
    ]);
  });

  it('appends cyanide and heavy metals exceeding III that missed the top 3', () => {
    // Three items worse than V, then Pb 0.06 (class V, (0.06 − 0.05)/0.05 = 0.20) which would be 4th.
    const r = assessWater({
      waterbody: 'RIVER',
      values: [
        { parameter: 'w01018', value: '45' }, // 1.25
        { parameter: 'w21003', value: '3' }, // 2.00
        { parameter: 'w21011', value: '0.5' }, // 1.50
        { parameter: 'w01019', value: '12' }, // V, 1.00: not toxic, stays out
        { parameter: 'w20120', value: '0.06' },
      ],
    });
    expect(r.mainPollutants).toEqual([
      { parameter: 'w21003', waterClass: 'WORSE_THAN_V', exceedance: '2.00' },
      { parameter: 'w21011', waterClass: 'WORSE_THAN_V', exceedance: '1.50' },
      { parameter: 'w01018', waterClass: 'WORSE_THAN_V', exceedance: '1.25' },
      { parameter: 'w20120', waterClass: 'V', exceedance: '0.20' },
    ]);
  });

  it('does not name reference items (TN, fecal coliform) as main pollutants', () => {
    const r = assessWater({
      waterbody: 'LAKE_RESERVOIR',
      values: [
        { parameter: 'w21001', value: '9' },
        { parameter: 'w02003', value: '90000' },
        { parameter: 'w01018', value: '25' },
      ],
    });
    expect(r.waterClass).toBe('IV');
    expect(r.mainPollutants).toEqual([{ parameter: 'w01018', waterClass: 'IV', exceedance: '0.25' }]);
  });
});

describe('input errors', () => {
  it('rejects an empty list', () => {
    const e = inputError(() => assessWater({ waterbody: 'RIVER', values: [] }));
    expect(e.field).toBe('values');
  });

  it('rejects an unknown parameter code, naming its position', () => {
    const e = inputError(() => assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01018', value: 1 }, { parameter: 'w99999', value: 1 }] }));
    expect(e.field).toBe('values[1].parameter');
    expect(e.message).toContain('w99999');
  });

  it('rejects a duplicate parameter, naming both positions', () => {
    const e = inputError(() =>
      assessWater({
        waterbody: 'RIVER',
        values: [
          { parameter: 'w01018', value: 1 },
          { parameter: 'w21003', value: 1 },
          { parameter: 'w01018', value: 2 },
        ],
      }),
    );
    expect(e.field).toBe('values[2].parameter');
    expect(e.message).toContain('values[0]');
  });

  it.each([
    ['-0.1', 'negative'],
    ['abc', 'decimal'],
    ['', 'decimal'],
    ['0x10', 'decimal'],
    ['1,5', 'decimal'],
  ])('rejects value %j', (value, word) => {
    const e = inputError(() => assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01018', value: 1 }, { parameter: 'w01001', value: 7 }, { parameter: 'w21003', value }] }));
    expect(e.field).toBe('values[2].value');
    expect(e.message).toContain(word);
  });

  it.each([NaN, Infinity, -1])('rejects the number %p', (value) => {
    const e = inputError(() => assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w21003', value }] }));
    expect(e.field).toBe('values[0].value');
  });

  it('rejects an unknown waterbody', () => {
    const e = inputError(() => assessWater({ waterbody: 'SEA' as Waterbody, values: [{ parameter: 'w21003', value: 1 }] }));
    expect(e.field).toBe('waterbody');
  });

  it('rejects a list with no item that takes part in the section class', () => {
    const e = inputError(() => assessWater({ waterbody: 'RIVER', values: [{ parameter: 'w01010', value: 20 }, { parameter: 'w21001', value: 1 }] }));
    expect(e.field).toBe('values');
  });
});
