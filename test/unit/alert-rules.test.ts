import Decimal from 'decimal.js';
import { AlertKind, AlertLevel, AlertPeriod } from '../../src/modules/warning/alert.codes';
import { exceedanceLevel, limitExceeded, mergeFindings, outletDay, risingTrend, sectionClass, thresholdReached, watchedThreshold } from '../../src/modules/warning/alert-rules';
import { bundledWarningRules } from '../../src/modules/warning/warning-rules';

/** The warning rules as pure functions (src/modules/warning/alert-rules.ts), on the bundled rules file. */
const rules = bundledWarningRules();
const taipuSb = rules.sections[0].watch[0];
const H = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2026, 10, 1, h)).toISOString();
const mean = (parameter: string, h: number, v: string | null) => ({ parameter, periodStart: at(h), mean: v === null ? null : new Decimal(v), unit: 'mg/L' });

describe('watched thresholds', () => {
  test('the highest threshold strictly exceeded decides the level; equal to a threshold is not above it', () => {
    expect(thresholdReached(taipuSb.thresholds, new Decimal('0.004'))).toBeNull();
    expect(thresholdReached(taipuSb.thresholds, new Decimal('0.0041'))?.level).toBe(AlertLevel.BLUE);
    expect(thresholdReached(taipuSb.thresholds, new Decimal('0.005'))?.level).toBe(AlertLevel.BLUE);
    expect(thresholdReached(taipuSb.thresholds, new Decimal('0.0076'))?.level).toBe(AlertLevel.ORANGE);
    expect(thresholdReached(taipuSb.thresholds, new Decimal('0.5'))?.level).toBe(AlertLevel.RED);
  });

  test('one finding per period above a threshold; periods without a valid mean are skipped', () => {
    const f = watchedThreshold(taipuSb, [mean('w20141', 1, '0.003'), mean('w20141', 2, null), mean('w20141', 3, '0.006')]);
    expect(f.map((x) => [x.periodStart, x.level, x.values[0].threshold])).toEqual([[at(3), AlertLevel.YELLOW, '0.005']]);
  });
});

describe('rising trend', () => {
  test('N consecutive rising periods; a flat step, a missing period or too few periods break it', () => {
    const rising = [mean('w20141', 1, '0.001'), mean('w20141', 2, '0.002'), mean('w20141', 3, '0.003')];
    expect(risingTrend(taipuSb, rising, H).map((f) => [f.kind, f.periodStart])).toEqual([[AlertKind.RISING_TREND, at(3)]]);
    expect(risingTrend(taipuSb, [rising[0], mean('w20141', 2, '0.001'), rising[2]], H)).toEqual([]);
    expect(risingTrend(taipuSb, [rising[0], rising[1], mean('w20141', 4, '0.003')], H)).toEqual([]);
    expect(risingTrend(taipuSb, rising.slice(0, 2), H)).toEqual([]);
  });
});

describe('section class against the target', () => {
  const day = at(0);
  test('a river at class IV against target II is two classes worse: ORANGE, naming the items worse than the target', () => {
    const f = sectionClass(rules, 'RIVER', 'II', day, [mean('w21003', 0, '1.2'), mean('w01019', 0, '3.0'), mean('w20141', 0, '0.001')]);
    expect(f).toMatchObject({ kind: AlertKind.SECTION_CLASS, level: AlertLevel.ORANGE });
    expect(f!.values.map((v) => [v.parameter, v.waterClass])).toEqual([['w21003', 'IV']]);
  });
  test('meeting the target, or nothing the class is judged on, raises nothing', () => {
    expect(sectionClass(rules, 'RIVER', 'III', day, [mean('w21003', 0, '0.9')])).toBeNull();
    expect(sectionClass(rules, 'RIVER', 'II', day, [mean('w20141', 0, '0.009')])).toBeNull();
  });
  test('three or more classes worse is the last level listed (RED)', () => {
    expect(sectionClass(rules, 'RIVER', 'II', day, [mean('w21003', 0, '2.5')])!.level).toBe(AlertLevel.RED);
  });
});

describe('outlet limits, gaps and flags', () => {
  const cod = rules.sources.outlets[0].limits[0];
  const ph = rules.sources.outlets[0].limits[2];
  test('exceedance bands by the ratio to the limit', () => {
    expect(exceedanceLevel(rules, new Decimal('1.2'))).toBe(AlertLevel.YELLOW);
    expect(exceedanceLevel(rules, new Decimal('1.5'))).toBe(AlertLevel.YELLOW);
    expect(exceedanceLevel(rules, new Decimal('1.9'))).toBe(AlertLevel.ORANGE);
    expect(exceedanceLevel(rules, new Decimal('3'))).toBe(AlertLevel.RED);
  });
  test('hourly and daily means against max; pH against its range; at the limit is within it', () => {
    expect(limitExceeded(rules, cod, AlertPeriod.HOUR, mean('w01018', 1, '80'))).toBeNull();
    expect(limitExceeded(rules, cod, AlertPeriod.HOUR, mean('w01018', 1, '99'))).toMatchObject({ level: AlertLevel.YELLOW, episode: 'w01018:HOUR' });
    expect(limitExceeded(rules, cod, AlertPeriod.DAY, mean('w01018', 1, '170'))).toMatchObject({ level: AlertLevel.RED, episode: 'w01018:DAY' });
    expect(limitExceeded(rules, ph, AlertPeriod.HOUR, mean('w01001', 1, '5.5'))).toMatchObject({ level: AlertLevel.YELLOW });
    expect(limitExceeded(rules, ph, AlertPeriod.DAY, mean('w01001', 1, '5.5'))).toBeNull(); // no daily bound for pH
  });
  test('a day with too many hours missing or flagged F/D/B is a gap; T/S flags are abnormal; C and M are neither', () => {
    const hour = (h: number, flags: string[], missing = false) => ({ parameter: 'w01018', hour: at(h), flags, missing });
    expect(outletDay(rules, at(0), [hour(1, ['N']), hour(2, ['C']), hour(3, ['M'])])).toEqual([]);
    const gap = outletDay(rules, at(0), [hour(1, [], true), hour(2, ['D']), hour(3, ['N'])]);
    expect(gap.map((f) => [f.kind, f.values[0].value, f.values[0].flags])).toEqual([[AlertKind.SOURCE_DATA_GAP, '2', ['D', 'missing']]]);
    expect(outletDay(rules, at(0), [hour(1, ['D']), hour(2, ['N'])])).toEqual([]); // one hour is below minHours
    expect(outletDay(rules, at(0), [hour(1, ['T'])]).map((f) => f.kind)).toEqual([AlertKind.SOURCE_ABNORMAL_FLAG]);
  });
});

test('an episode keeps its first and last period and the values of its highest level', () => {
  const f = watchedThreshold(taipuSb, [mean('w20141', 1, '0.0045'), mean('w20141', 2, '0.009'), mean('w20141', 3, '0.0042')]);
  const m = mergeFindings(f);
  expect([m.firstPeriodStart, m.lastPeriodStart, m.finding.level, m.finding.values[0].value]).toEqual([at(1), at(3), AlertLevel.ORANGE, '0.009']);
});
