import { computeAqi, selectAqiTable, AQI_TABLES, AqiInput } from '../../src/domain/standards/aqi';
import { StandardInputError } from '../../src/domain/standards/water-quality';

// Every expected IAQI is worked by hand from the HJ 633 breakpoint tables (standards.md §6.1 and
// §6.2): IAQI = (IAQI_hi − IAQI_lo)/(BP_hi − BP_lo) × (C − BP_lo) + IAQI_lo, then rounded up.

const D2012 = '2025-06-15';
const D2026 = '2026-06-15';

function iaqiOf(input: Omit<AqiInput, 'report' | 'date'>, report: AqiInput['report'] = 'DAILY', date = D2012): number {
  const r = computeAqi({ report, date, ...input });
  expect(r.iaqi).toHaveLength(1);
  return r.iaqi[0].value;
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

describe('tables', () => {
  it('has the 2012 and 2026 revisions with their dates', () => {
    expect(AQI_TABLES.map((t) => [t.standard, t.effectiveFrom])).toEqual([
      ['HJ 633-2012', '2016-01-01'],
      ['HJ 633-2026', '2026-03-01'],
    ]);
  });

  it('2012 SO2 24-h column is 0/50/150/475/800/1600/2100/2620, not the 1-h column', () => {
    const t = selectAqiTable(D2012);
    expect(t.columns.SO2_24H.breakpoints.map(String)).toEqual(['0', '50', '150', '475', '800', '1600', '2100', '2620']);
    expect(t.columns.SO2_1H.breakpoints.map(String)).toEqual(['0', '150', '500', '650', '800']);
  });

  it('chooses the revision by observation date', () => {
    expect(selectAqiTable('2026-02-28').standard).toBe('HJ 633-2012');
    expect(selectAqiTable('2026-03-01').standard).toBe('HJ 633-2026');
    expect(selectAqiTable('2016-01-01').standard).toBe('HJ 633-2012');
    // Before its formal date, HJ 633-2012 still applies from its publication (early adopters).
    expect(selectAqiTable('2013-01-01').standard).toBe('HJ 633-2012');
  });

  it('rejects dates before any revision and malformed dates', () => {
    expect(inputError(() => selectAqiTable('2011-12-31')).field).toBe('date');
    expect(inputError(() => selectAqiTable('2026-02-30')).field).toBe('date');
    expect(inputError(() => selectAqiTable('2026/03/01')).field).toBe('date');
  });
});

describe('interpolation and rounding up', () => {
  it('PM2.5 24-h 80 under 2012: 50/40 × 5 + 100 = 106.25 → 107', () => {
    const r = computeAqi({ report: 'DAILY', date: D2012, pm25: 80 });
    expect(r).toEqual({
      aqi: 107,
      level: 3,
      category: '轻度污染',
      primaryPollutants: ['pm25'],
      exceedingPollutants: ['pm25'],
      iaqi: [{ pollutant: 'pm25', value: 107 }],
      standard: 'HJ 633-2012',
      notes: [],
    });
  });

  it('accepts decimal strings', () => {
    expect(iaqiOf({ pm25: '80' })).toBe(107);
    expect(iaqiOf({ pm25: '80.0' })).toBe(107);
  });

  it.each([
    // PM2.5 35 → exactly 50; 35.1 → 50 + 50/40 × 0.1 = 50.125 → 51
    [{ pm25: 35 }, 50],
    [{ pm25: 35.1 }, 51],
    [{ pm25: 30 }, 43], // 50/35 × 30 = 42.857 → 43
    [{ pm25: 0 }, 0],
    // PM10 (2012) 50 → 50; 51 → 50 + 50/100 × 1 = 50.5 → 51
    [{ pm10: 50 }, 50],
    [{ pm10: 51 }, 51],
    // NO2 24-h 60 → 50 + 50/40 × 20 = 75 exactly
    [{ no2: 60 }, 75],
    // CO 24-h 2.2 mg/m³ → 50 + 50/2 × 0.2 = 55 exactly (binary floats give 55.000…01 → 56)
    [{ co: 2.2 }, 55],
    // SO2 24-h 2120.8 → 400 + 100/520 × 20.8 = 404 exactly (floats give 404.000…06 → 405)
    [{ so2: '2120.8' }, 404],
    // O3 1-h 180 → 50 + 50/40 × 20 = 75; O3 8-h 180 → 100 + 50/55 × 20 = 118.18 → 119
    [{ o3: 180 }, 75],
    [{ o3_8h: 180 }, 119],
  ])('DAILY 2012 %j → IAQI %i', (input, expected) => {
    expect(iaqiOf(input)).toBe(expected);
  });

  it('caps concentrations above the top breakpoint at 500', () => {
    expect(iaqiOf({ pm25: 500 })).toBe(500);
    expect(iaqiOf({ pm25: 600 })).toBe(500);
    expect(iaqiOf({ pm10: 601 })).toBe(500);
    expect(iaqiOf({ co: 100 })).toBe(500);
  });
});

describe('DAILY and HOURLY columns', () => {
  it('SO2 200: 24-h column in DAILY (100 + 50/325 × 50 = 107.7 → 108), 1-h column in HOURLY (50 + 50/350 × 50 = 57.1 → 58)', () => {
    expect(iaqiOf({ so2: 200 }, 'DAILY')).toBe(108);
    expect(iaqiOf({ so2: 200 }, 'HOURLY')).toBe(58);
  });

  it('CO 3 mg/m³: 24-h column in DAILY (75), 1-h column in HOURLY (50/5 × 3 = 30)', () => {
    expect(iaqiOf({ co: 3 }, 'DAILY')).toBe(75);
    expect(iaqiOf({ co: 3 }, 'HOURLY')).toBe(30);
  });

  it('NO2 150: 24-h column in DAILY (100 + 50/100 × 70 = 135), 1-h column in HOURLY (50 + 50/100 × 50 = 75)', () => {
    expect(iaqiOf({ no2: 150 }, 'DAILY')).toBe(135);
    expect(iaqiOf({ no2: 150 }, 'HOURLY')).toBe(75);
  });

  it('PM uses the 24-h columns in both reports', () => {
    expect(iaqiOf({ pm25: 80 }, 'HOURLY')).toBe(107);
    expect(iaqiOf({ pm10: 200 }, 'HOURLY')).toBe(125); // 100 + 50/100 × 50
  });
});

describe('2012 versus 2026', () => {
  it('PM2.5 75: 100 under 2012; 100 + 50/55 × 15 = 113.6 → 114 under 2026', () => {
    expect(iaqiOf({ pm25: 75 }, 'DAILY', D2012)).toBe(100);
    expect(iaqiOf({ pm25: 75 }, 'DAILY', D2026)).toBe(114);
  });

  it('PM10 150: 100 under 2012; 100 + 50/130 × 30 = 111.5 → 112 under 2026', () => {
    expect(iaqiOf({ pm10: 150 }, 'DAILY', D2012)).toBe(100);
    expect(iaqiOf({ pm10: 150 }, 'DAILY', D2026)).toBe(112);
  });

  it('PM2.5 60 is 100 under 2026 and 50 + 50/40 × 25 = 81.25 → 82 under 2012', () => {
    expect(iaqiOf({ pm25: 60 }, 'DAILY', D2026)).toBe(100);
    expect(iaqiOf({ pm25: 60 }, 'DAILY', D2012)).toBe(82);
  });

  it('switches on 2026-03-01, not before', () => {
    expect(computeAqi({ report: 'DAILY', date: '2026-02-28', pm25: 75 }).aqi).toBe(100);
    expect(computeAqi({ report: 'DAILY', date: '2026-03-01', pm25: 75 })).toMatchObject({ aqi: 114, standard: 'HJ 633-2026', category: '轻度污染' });
  });

  it('other columns are unchanged', () => {
    expect(iaqiOf({ so2: 200 }, 'DAILY', D2026)).toBe(108);
    expect(iaqiOf({ co: 2.2 }, 'DAILY', D2026)).toBe(55);
  });
});

describe('levels and categories', () => {
  it.each([
    [{ pm25: 35 }, 50, 1, '优'],
    [{ pm25: 35.1 }, 51, 2, '良'],
    [{ pm25: 75 }, 100, 2, '良'],
    [{ pm25: 75.1 }, 101, 3, '轻度污染'], // 100 + 50/40 × 0.1 = 100.125 → 101
    [{ pm25: 115 }, 150, 3, '轻度污染'],
    [{ pm25: 115.1 }, 151, 4, '中度污染'], // 150 + 50/35 × 0.1 = 150.14 → 151
    [{ pm25: 150 }, 200, 4, '中度污染'],
    [{ pm25: 150.1 }, 201, 5, '重度污染'], // 200 + 100/100 × 0.1 = 200.1 → 201
    [{ pm25: 250 }, 300, 5, '重度污染'],
    [{ pm25: 250.1 }, 301, 6, '严重污染'],
  ])('%j → AQI %i, level %i, %s', (input, aqi, level, category) => {
    expect(computeAqi({ report: 'DAILY', date: D2012, ...input })).toMatchObject({ aqi, level, category });
  });
});

describe('primary and exceeding pollutants', () => {
  it('names no primary pollutant at AQI 50 or below', () => {
    // PM2.5 30 → 43, NO2 40 → 50: AQI 50.
    const r = computeAqi({ report: 'DAILY', date: D2012, pm25: 30, no2: 40 });
    expect(r.aqi).toBe(50);
    expect(r.primaryPollutants).toEqual([]);
    expect(r.exceedingPollutants).toEqual([]);
  });

  it('names the pollutant with the highest IAQI above 50', () => {
    // PM2.5 35.1 → 51, NO2 40 → 50.
    const r = computeAqi({ report: 'DAILY', date: D2012, pm25: 35.1, no2: 40 });
    expect(r.aqi).toBe(51);
    expect(r.primaryPollutants).toEqual(['pm25']);
  });

  it('lists every pollutant tied at the maximum', () => {
    // PM2.5 80 → 107; PM10 164 → 100 + 50/100 × 14 = 107 exactly; NO2 60 → 75.
    const r = computeAqi({ report: 'DAILY', date: D2012, no2: 60, pm10: 164, pm25: 80 });
    expect(r.aqi).toBe(107);
    expect(r.primaryPollutants).toEqual(['pm10', 'pm25']);
    expect(r.iaqi).toEqual([
      { pollutant: 'no2', value: 75 },
      { pollutant: 'pm10', value: 107 },
      { pollutant: 'pm25', value: 107 },
    ]);
  });

  it('counts a pollutant as exceeding only above IAQI 100', () => {
    // PM2.5 75 → 100 (not exceeding); PM10 151 → 100.5 → 101 (exceeding); O3 8-h 170 → 109.1 → 110.
    const r = computeAqi({ report: 'DAILY', date: D2012, pm25: 75, pm10: 151, o3_8h: 170 });
    expect(r.aqi).toBe(110);
    expect(r.primaryPollutants).toEqual(['o3_8h']);
    expect(r.exceedingPollutants).toEqual(['o3_8h', 'pm10']);
  });
});

describe('SO2 1-h above 800', () => {
  it('800 itself interpolates to 200 in both revisions', () => {
    expect(iaqiOf({ so2: 800 }, 'HOURLY', D2012)).toBe(200);
    expect(iaqiOf({ so2: 800 }, 'HOURLY', D2026)).toBe(200);
  });

  it('2012: reported from the 24-h mean when one is given (500 → 150 + 50/325 × 25 = 153.8 → 154)', () => {
    const r = computeAqi({ report: 'HOURLY', date: D2012, so2: 900, so2_24h: 500 });
    expect(r.iaqi).toEqual([{ pollutant: 'so2', value: 154 }]);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toContain('so2_24h');
  });

  it('2012: 200 when no 24-h mean is given (hub decision, as in 2026)', () => {
    const r = computeAqi({ report: 'HOURLY', date: D2012, so2: 900 });
    expect(r.aqi).toBe(200);
    expect(r.notes[0]).toContain('200');
  });

  it('2026: always 200, whatever the 24-h mean', () => {
    const r = computeAqi({ report: 'HOURLY', date: D2026, so2: 900, so2_24h: 1700 });
    expect(r.iaqi).toEqual([{ pollutant: 'so2', value: 200 }]);
    expect(r.category).toBe('中度污染');
  });

  it('does not apply to DAILY reports, whose 24-h column runs to 2620', () => {
    // 24-h 900 → 200 + 100/800 × 100 = 212.5 → 213
    expect(iaqiOf({ so2: 900 }, 'DAILY', D2012)).toBe(213);
  });

  it('rejects so2_24h in a DAILY report', () => {
    expect(inputError(() => computeAqi({ report: 'DAILY', date: D2012, so2: 10, so2_24h: 10 })).field).toBe('so2_24h');
  });
});

describe('O3 8-h above 800', () => {
  it('2012: O3 is reported from its 1-h value, so the 8-h entry is dropped', () => {
    // O3 1-h 850 → 300 + 100/200 × 50 = 325.
    const r = computeAqi({ report: 'DAILY', date: D2012, o3: 850, o3_8h: 900 });
    expect(r.iaqi).toEqual([{ pollutant: 'o3', value: 325 }]);
    expect(r).toMatchObject({ aqi: 325, level: 6, category: '严重污染', primaryPollutants: ['o3'] });
    expect(r.notes).toHaveLength(1);
  });

  it('2012: 300 when no 1-h value is given', () => {
    expect(iaqiOf({ o3_8h: 900 }, 'DAILY', D2012)).toBe(300);
  });

  it('2026: 300', () => {
    const r = computeAqi({ report: 'DAILY', date: D2026, o3: 850, o3_8h: 900 });
    expect(r.iaqi).toEqual([
      { pollutant: 'o3', value: 325 },
      { pollutant: 'o3_8h', value: 300 },
    ]);
    expect(r.primaryPollutants).toEqual(['o3']);
  });

  it('800 itself interpolates to 300', () => {
    expect(iaqiOf({ o3_8h: 800 })).toBe(300);
  });
});

describe('input errors', () => {
  it('needs at least one pollutant', () => {
    expect(inputError(() => computeAqi({ report: 'DAILY', date: D2012 })).field).toBe('pollutants');
    expect(inputError(() => computeAqi({ report: 'DAILY', date: D2012, pm25: null })).field).toBe('pollutants');
  });

  it.each([
    ['pm25', -1],
    ['no2', 'abc'],
    ['co', ''],
    ['o3', NaN],
  ])('rejects %s = %p, naming the field', (field, value) => {
    const e = inputError(() => computeAqi({ report: 'DAILY', date: D2012, pm10: 10, [field]: value }));
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });

  it('rejects an unknown report and a bad date', () => {
    expect(inputError(() => computeAqi({ report: 'WEEKLY' as AqiInput['report'], date: D2012, pm25: 1 })).field).toBe('report');
    expect(inputError(() => computeAqi({ report: 'DAILY', date: '20260301', pm25: 1 })).field).toBe('date');
  });
});
