import type { DataSource } from 'typeorm';
import { District, Jurisdiction } from '../domain/jurisdictions';
import { ControlLevel, DataFlag, ObservationInterval, StationKind, Waterbody, WaterClassCode } from '../modules/monitoring/monitoring.codes';
import { Rng } from './rng';
import { addMonths, ensureObservationPartitions, monthOf } from '../modules/monitoring/observation-storage';

/**
 * Seeded demo monitoring data: about thirty stations of the zone (air stations, sections on
 * 太浦河 and the lakes, drinking-water sources, pollution-source outlets) with a year of series.
 *
 * Reproducible: each station draws from its own PRNG stream keyed by (seed, station index), and
 * "now" is the fixed REFERENCE instant, so the same options give the same rows.
 *
 * Volume: air stations keep hourly data for the last HOURLY_DAYS days and daily statistics before
 * that (a compacted history, as monitoring platforms keep it); sections keep one value a day;
 * pollution-source outlets keep hourly data for the last HOURLY_DAYS days. The default year is
 * about 130,000 rows, so the first embedded start stays fast.
 *
 * Episodes to find: a PM2.5 winter episode (2026-01-12..18), a summer O3 episode (2026-06-18..25),
 * an autumn PM episode inside the hourly window (2026-10-22..25), an NH3-N/TP episode on 俞汇塘
 * after rain (2026-07-06..17), an algal bloom on 淀山湖湖心 (2026-08-10..20) and a COD exceedance at
 * a dyeing outlet (2026-10-14). Non-N flags: nightly calibration (C), monthly maintenance (M),
 * analyser faults (D) and a few communication errors (B).
 */

export interface MonitoringSeedOptions {
  seed: number;
  /** Length of the series in days, ending at the reference date (365 by default). */
  days?: number;
}

export interface MonitoringSeedResult {
  stations: number;
  observations: number;
}

/** The series ends just before 2026-11-01 00:00 China Standard Time (the demo's "today"). */
const REFERENCE = Date.parse('2026-11-01T00:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Days of hourly data kept for air stations and pollution sources. */
const HOURLY_DAYS = 40;
const BATCH = 20_000;

// ---------------------------------------------------------------------------------------------
// PRNG: sfc32 keyed by (seed, stream), so each station has its own stream.

/** A slowly varying multiplicative factor: log-AR(1) around 1. */
class Drift {
  private x = 0;
  constructor(private readonly rng: Rng, private readonly keep: number, private readonly sd: number) {}
  step(): number {
    this.x = this.keep * this.x + this.sd * this.rng.normal();
    return Math.exp(this.x);
  }
}

// ---------------------------------------------------------------------------------------------
// Stations

type Outlet = 'WASTEWATER' | 'WWTP' | 'BOILER' | 'VOC';

/** How an outlet is named after its enterprise. */
const OUTLET_SUFFIX: Record<Outlet, string> = { WASTEWATER: '废水总排口', WWTP: '出水口', BOILER: '锅炉废气排口', VOC: '废气排口' };

interface StationDef {
  code: string;
  name: string;
  kind: StationKind;
  owner: District;
  lon: number;
  lat: number;
  control?: ControlLevel;
  waterbody?: Waterbody;
  waterName?: string;
  target?: WaterClassCode;
  drinking?: boolean;
  /** Air: scales of PM, NO2 and O3 against the zone's typical levels. */
  air?: { pm: number; no2: number; o3: number };
  /** Water: typical concentrations (mg/L) and the DO saturation share. */
  water?: { codmn: number; nh3n: number; tp: number; tn: number; doShare: number };
  /** Pollution source: what it emits, and which enterprise industry to link it to. */
  source?: { outlet: Outlet; industry: string; label: string };
}

const Q = Jurisdiction.QINGPU as District;
const W = Jurisdiction.WUJIANG as District;
const J = Jurisdiction.JIASHAN as District;
const { NATIONAL, PROVINCIAL, MUNICIPAL, DISTRICT } = ControlLevel;
const { RIVER, LAKE_RESERVOIR: LAKE } = Waterbody;
const { II, III } = WaterClassCode;

const air = (code: string, name: string, owner: District, control: ControlLevel, lon: number, lat: number, pm = 1, no2 = 1, o3 = 1): StationDef =>
  ({ code, name, kind: StationKind.AIR, owner, control, lon, lat, air: { pm, no2, o3 } });
const water = (code: string, name: string, owner: District, control: ControlLevel, waterbody: Waterbody, waterName: string, target: WaterClassCode,
  lon: number, lat: number, w: StationDef['water'], drinking = false): StationDef =>
  ({ code, name, kind: StationKind.SURFACE_WATER, owner, control, waterbody, waterName, target, lon, lat, water: w, drinking });
const source = (code: string, owner: District, lon: number, lat: number, s: NonNullable<StationDef['source']>): StationDef =>
  ({ code, name: s.label, kind: StationKind.POLLUTION_SOURCE, owner, lon, lat, source: s });

/** River sections of 太浦河 meet class II; Jiashan's plain rivers III; the lakes' TP keeps them at IV. */
const TAIPU = { codmn: 3.3, nh3n: 0.22, tp: 0.075, tn: 1.7, doShare: 0.85 };
const PLAIN_RIVER = { codmn: 4.4, nh3n: 0.5, tp: 0.14, tn: 2.3, doShare: 0.75 };
const DIANSHAN = { codmn: 4.8, nh3n: 0.3, tp: 0.072, tn: 1.9, doShare: 0.9 };

export const MONITORING_STATIONS: readonly StationDef[] = [
  air('A-QP-01', '淀山湖大气超级站', Q, NATIONAL, 120.951, 31.118, 0.9, 0.75, 1.08),
  air('A-QP-02', '青浦盈浦', Q, MUNICIPAL, 121.108, 31.152, 1.05, 1.15, 0.97),
  air('A-QP-03', '青浦练塘', Q, DISTRICT, 121.047, 31.012, 0.95, 0.85, 1.03),
  air('A-WJ-01', '吴江松陵', W, NATIONAL, 120.642, 31.161, 1.08, 1.2, 0.96),
  air('A-WJ-02', '吴江盛泽', W, PROVINCIAL, 120.652, 30.918, 1.12, 1.1, 1.0),
  air('A-WJ-03', '吴江黎里', W, DISTRICT, 120.721, 30.993, 1.0, 0.9, 1.02),
  air('A-WJ-04', '吴江汾湖', W, DISTRICT, 120.803, 30.968, 0.98, 0.95, 1.02),
  air('A-JS-01', '嘉善罗星', J, PROVINCIAL, 120.925, 30.838, 1.06, 1.05, 0.99),
  air('A-JS-02', '嘉善西塘', J, DISTRICT, 120.889, 30.941, 1.0, 0.9, 1.01),
  air('A-JS-03', '嘉善姚庄', J, DISTRICT, 120.981, 30.915, 1.02, 0.9, 1.01),

  water('W-QP-01', '太浦河金泽', Q, NATIONAL, RIVER, '太浦河', II, 120.903, 31.034, TAIPU),
  water('W-QP-02', '金泽水库取水口', Q, MUNICIPAL, LAKE, '金泽水库', II, 120.912, 31.041, { codmn: 3.0, nh3n: 0.15, tp: 0.03, tn: 1.4, doShare: 0.9 }, true),
  water('W-QP-03', '淀山湖湖心', Q, NATIONAL, LAKE, '淀山湖', III, 120.958, 31.131, DIANSHAN),
  water('W-QP-04', '淀山湖朱家角', Q, MUNICIPAL, LAKE, '淀山湖', III, 121.031, 31.109, { ...DIANSHAN, tp: 0.078 }),
  water('W-QP-05', '淀山湖商榻', Q, MUNICIPAL, LAKE, '淀山湖', III, 120.921, 31.112, { ...DIANSHAN, tp: 0.066 }),
  water('W-QP-06', '元荡(青浦)', Q, DISTRICT, LAKE, '元荡', III, 120.892, 31.104, { codmn: 4.6, nh3n: 0.35, tp: 0.062, tn: 1.8, doShare: 0.88 }),
  water('W-WJ-01', '太浦河平望大桥', W, PROVINCIAL, RIVER, '太浦河', II, 120.641, 30.982, { ...TAIPU, codmn: 3.1, tp: 0.068 }),
  water('W-WJ-02', '太浦河黎里', W, PROVINCIAL, RIVER, '太浦河', II, 120.728, 31.001, TAIPU),
  water('W-WJ-03', '太浦河汾湖大桥', W, NATIONAL, RIVER, '太浦河', II, 120.821, 31.012, { ...TAIPU, nh3n: 0.24, tp: 0.08 }),
  water('W-WJ-04', '元荡(吴江)', W, PROVINCIAL, LAKE, '元荡', III, 120.874, 31.097, { codmn: 4.5, nh3n: 0.33, tp: 0.06, tn: 1.75, doShare: 0.88 }),
  water('W-WJ-05', '汾湖湖心', W, PROVINCIAL, LAKE, '汾湖', III, 120.819, 30.991, { codmn: 4.3, nh3n: 0.3, tp: 0.055, tn: 1.6, doShare: 0.88 }),
  water('W-WJ-06', '东太湖水源地', W, PROVINCIAL, LAKE, '太湖', III, 120.452, 31.048, { codmn: 3.4, nh3n: 0.12, tp: 0.042, tn: 1.1, doShare: 0.92 }, true),
  water('W-JS-01', '红旗塘大舜', J, NATIONAL, RIVER, '红旗塘', III, 121.003, 30.882, PLAIN_RIVER),
  water('W-JS-02', '俞汇塘', J, PROVINCIAL, RIVER, '俞汇塘', III, 120.982, 30.951, { ...PLAIN_RIVER, nh3n: 0.55, tp: 0.15 }),
  water('W-JS-03', '长白荡水源地', J, PROVINCIAL, LAKE, '长白荡', III, 120.934, 31.004, { codmn: 3.6, nh3n: 0.2, tp: 0.045, tn: 1.4, doShare: 0.9 }, true),

  source('P-WJ-01', W, 120.661, 30.925, { outlet: 'WASTEWATER', industry: 'C17', label: '盛泽印染企业废水总排口' }),
  source('P-WJ-02', W, 120.668, 30.931, { outlet: 'BOILER', industry: 'C17', label: '盛泽印染企业燃气锅炉废气排口' }),
  source('P-JS-01', J, 120.943, 30.862, { outlet: 'VOC', industry: 'C20', label: '嘉善木业企业废气排口' }),
  source('P-JS-02', J, 120.951, 30.871, { outlet: 'WASTEWATER', industry: 'C33', label: '嘉善表面处理企业废水总排口' }),
  source('P-QP-01', Q, 121.062, 31.128, { outlet: 'WWTP', industry: 'D46', label: '青浦污水处理厂出水口' }),
];

/** Catalog resources the station data is shared under, by business line (catalog/dimensions/business-lines.yaml). */
function catalogResource(s: StationDef): string {
  if (s.kind === StationKind.AIR) return '211001/0001';
  // An outlet's data is shared under the resource of what it emits: waste water, flue gas or VOC.
  if (s.kind === StationKind.POLLUTION_SOURCE) return s.source?.outlet === 'BOILER' ? '211004/0002' : s.source?.outlet === 'VOC' ? '211004/0003' : '211004/0001';
  return s.drinking ? '211003/0001' : '211002/0001';
}

function sourceSystem(s: StationDef): string {
  const kind = s.kind === StationKind.AIR ? 'AQMS' : s.kind === StationKind.SURFACE_WATER ? 'WQMS' : 'PSOMS';
  return `${s.owner}-${kind}`;
}

// ---------------------------------------------------------------------------------------------
// Series

/** Observation rows as column arrays, ready for one unnest insert per batch. */
class Rows {
  stationId: string[] = [];
  parameter: string[] = [];
  observedAt: string[] = [];
  interval: string[] = [];
  value: string[] = [];
  unit: string[] = [];
  flag: string[] = [];

  get length(): number {
    return this.stationId.length;
  }

  push(stationId: string, parameter: string, at: number, interval: ObservationInterval, value: string, unit: string, flag: DataFlag): void {
    this.stationId.push(stationId);
    this.parameter.push(parameter);
    this.observedAt.push(new Date(at).toISOString());
    this.interval.push(interval);
    this.value.push(value);
    this.unit.push(unit);
    this.flag.push(flag);
  }
}

/** Day of year (0-based) of an instant, in China Standard Time. */
function dayOfYear(at: number): number {
  const d = new Date(at + 8 * HOUR);
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY);
}

/** Local (CST) calendar fields of an instant. */
function local(at: number): { y: number; m: number; d: number; h: number; dow: number } {
  const d = new Date(at + 8 * HOUR);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), dow: d.getUTCDay() };
}

/** Smooth seasonal curve through twelve mid-month values. */
function seasonal(monthly: readonly number[], at: number): number {
  const doy = dayOfYear(at);
  const pos = (doy - 15 + 365) % 365 / (365 / 12);
  const i = Math.floor(pos) % 12;
  const f = pos - Math.floor(pos);
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return monthly[i] * (1 - w) + monthly[(i + 1) % 12] * w;
}

/** Multiplier of an episode on a day: 1 outside it, the day's value inside. */
function episode(at: number, start: string, factors: readonly number[]): number {
  const first = Date.parse(`${start}T00:00:00+08:00`);
  const i = Math.floor((at - first) / DAY);
  return i >= 0 && i < factors.length ? factors[i] : 1;
}

// Zone-typical monthly levels (Jan..Dec), shaped after the zone's bulletins.
const PM25_MONTHLY = [50, 42, 37, 31, 27, 22, 17, 18, 22, 28, 37, 46];
const NO2_MONTHLY = [42, 36, 34, 29, 25, 22, 19, 20, 25, 32, 38, 42];
const SO2_MONTHLY = [8, 7, 7, 6, 6, 5, 5, 5, 5, 6, 7, 8];
const CO_MONTHLY = [0.9, 0.85, 0.75, 0.65, 0.6, 0.55, 0.55, 0.55, 0.6, 0.65, 0.8, 0.9];
/** Daily O3 1-h peaks. */
const O3_PEAK_MONTHLY = [80, 95, 120, 145, 175, 175, 150, 155, 165, 130, 95, 75];

/** O3 diurnal shape relative to the daily 1-h peak: low at dawn, highest mid-afternoon. */
const O3_SHAPE = Array.from({ length: 24 }, (_, h) => 0.28 + 0.72 * Math.exp(-(((h - 14.5) / 4) ** 2)));
/** The daily maximum 8-h mean of that shape, over the windows GB 3095 counts (ending 08:00..24:00). */
const O3_8H_OF_PEAK = Math.max(...Array.from({ length: 17 }, (_, i) => O3_SHAPE.slice(i, i + 8).reduce((a, b) => a + b, 0) / 8));
const normalised = (f: (h: number) => number) => {
  const raw = Array.from({ length: 24 }, (_, h) => f(h));
  const mean = raw.reduce((a, b) => a + b, 0) / 24;
  return raw.map((v) => v / mean);
};
const NO2_SHAPE = normalised((h) => 1 + 0.35 * Math.exp(-(((h - 8) / 2) ** 2)) + 0.45 * Math.exp(-(((h - 20) / 3) ** 2)) - 0.3 * Math.exp(-(((h - 14) / 3) ** 2)));
const PM_SHAPE = normalised((h) => 1 + 0.15 * Math.cos((2 * Math.PI * (h - 2)) / 24));
const SO2_SHAPE = normalised((h) => 1 + 0.25 * Math.exp(-(((h - 11) / 3) ** 2)));

const PM25_EPISODES = [
  { start: '2026-01-12', f: [1.6, 2.5, 3.4, 3.9, 3.3, 2.1, 1.3] },
  { start: '2026-10-22', f: [1.7, 2.3, 2.5, 1.7] },
];
const O3_EPISODES = [
  { start: '2026-06-18', f: [1.15, 1.3, 1.42, 1.5, 1.5, 1.38, 1.22, 1.1] },
  { start: '2026-10-01', f: [1.2, 1.3, 1.35, 1.3, 1.2] },
];

const fix = (v: number, digits: number) => Math.max(v, 0).toFixed(digits);

interface Flagger {
  /** The flag of a parameter at an hour; analyser faults run for several hours. */
  at(param: string, at: number, gas: boolean): DataFlag;
}

/** Nightly calibration of gas analysers once a week, monthly maintenance, random faults and link errors. */
function hourlyFlagger(rng: Rng, stationIndex: number): Flagger {
  const faultUntil = new Map<string, number>();
  let linkDownUntil = 0;
  const maintenanceDay = 5 + (stationIndex % 20);
  return {
    at(param, at, gas) {
      const t = local(at);
      if (t.d === maintenanceDay && t.h >= 9 && t.h < 12) return DataFlag.M;
      if (gas && t.dow === stationIndex % 7 && t.h === 3) return DataFlag.C;
      if (at < linkDownUntil) return DataFlag.B;
      if (rng.float() < 0.00008) {
        linkDownUntil = at + rng.int(1, 3) * HOUR;
        return DataFlag.B;
      }
      if ((faultUntil.get(param) ?? 0) > at) return DataFlag.D;
      if (rng.float() < 0.0012) {
        faultUntil.set(param, at + rng.int(3, 14) * HOUR);
        return DataFlag.D;
      }
      return DataFlag.N;
    },
  };
}

/** What a non-N value looks like: span gas during calibration, zeros or stuck readings on faults. */
function distort(flag: DataFlag, value: number, rng: Rng): number {
  switch (flag) {
    case DataFlag.C:
      return value * 3 + 40;
    case DataFlag.D:
      return rng.float() < 0.5 ? 0 : value * (2 + rng.float() * 4);
    case DataFlag.M:
      return value * (0.3 + rng.float());
    default:
      return value;
  }
}

const AIR_UNITS: Record<string, string> = { a21026: 'µg/m³', a21004: 'µg/m³', a21005: 'mg/m³', a05024: 'µg/m³', a34002: 'µg/m³', a34004: 'µg/m³' };

function airSeries(rows: Rows, id: string, s: StationDef, index: number, rng: Rng, start: number, hourlyStart: number): void {
  const f = s.air!;
  const pmDrift = new Drift(rng, 0.75, 0.22);
  const gasDrift = new Drift(rng, 0.7, 0.15);
  const o3Drift = new Drift(rng, 0.6, 0.12);
  const flags = hourlyFlagger(rng, index);
  for (let day = start; day < REFERENCE; day += DAY) {
    const pmEp = PM25_EPISODES.reduce((m, e) => m * episode(day, e.start, e.f), 1);
    const o3Ep = O3_EPISODES.reduce((m, e) => m * episode(day, e.start, e.f), 1);
    const pm25 = seasonal(PM25_MONTHLY, day) * f.pm * pmDrift.step() * pmEp;
    const pm10 = pm25 * (1.45 + 0.15 * rng.float()) + 8;
    const gas = gasDrift.step();
    const no2 = seasonal(NO2_MONTHLY, day) * f.no2 * gas * Math.sqrt(pmEp);
    const so2 = seasonal(SO2_MONTHLY, day) * gas;
    const co = seasonal(CO_MONTHLY, day) * gas * Math.sqrt(pmEp);
    // Stagnant, polluted winter days hold O3 down a little; sunny summer episodes push it up.
    const o3Peak = seasonal(O3_PEAK_MONTHLY, day) * f.o3 * o3Drift.step() * o3Ep / Math.sqrt(pmEp);

    if (day < hourlyStart) {
      const daily: Array<[string, number, number]> = [
        ['a21026', so2, 0], ['a21004', no2, 0], ['a21005', co, 2], ['a05024', o3Peak * O3_8H_OF_PEAK, 0], ['a34002', pm10, 0], ['a34004', pm25, 0],
      ];
      for (const [p, v, digits] of daily) {
        const flag = rng.float() < 0.01 ? DataFlag.D : DataFlag.N;
        rows.push(id, p, day, ObservationInterval.DAY, fix(distort(flag, v, rng), digits), AIR_UNITS[p], flag);
      }
      continue;
    }
    for (let h = 0; h < 24; h++) {
      const at = day + h * HOUR;
      const noise = (sd = 0.12) => Math.exp(sd * rng.normal());
      const hourly: Array<[string, number, number, boolean]> = [
        ['a21026', so2 * SO2_SHAPE[h] * noise(), 0, true],
        ['a21004', no2 * NO2_SHAPE[h] * noise(), 0, true],
        ['a21005', co * PM_SHAPE[h] * noise(), 2, true],
        ['a05024', o3Peak * O3_SHAPE[h] * noise(0.06), 0, true],
        ['a34002', pm10 * PM_SHAPE[h] * noise(), 0, false],
        ['a34004', pm25 * PM_SHAPE[h] * noise(), 0, false],
      ];
      for (const [p, v, digits, isGas] of hourly) {
        const flag = flags.at(p, at, isGas);
        rows.push(id, p, at, ObservationInterval.HOUR, fix(distort(flag, v, rng), digits), AIR_UNITS[p], flag);
      }
    }
  }
}

/** Dissolved-oxygen saturation (mg/L) at a water temperature (°C), fresh water at sea level. */
function doSaturation(t: number): number {
  return 14.62 - 0.3898 * t + 0.006969 * t * t - 0.00005897 * t * t * t;
}

function waterSeries(rows: Rows, id: string, s: StationDef, index: number, rng: Rng, start: number): void {
  const w = s.water!;
  const drift = { codmn: new Drift(rng, 0.85, 0.06), nh3n: new Drift(rng, 0.8, 0.12), tp: new Drift(rng, 0.8, 0.1), tn: new Drift(rng, 0.85, 0.07) };
  const maintenanceDay = 3 + ((index * 3) % 25);
  for (let day = start; day < REFERENCE; day += DAY) {
    const doy = dayOfYear(day);
    const summer = Math.sin((2 * Math.PI * (doy - 110)) / 365); // +1 around late July
    const winter = Math.cos((2 * Math.PI * (doy - 15)) / 365); // +1 in mid-January
    const temp = 17.5 - 11.5 * Math.cos((2 * Math.PI * (doy - 20)) / 365) + 0.6 * rng.normal();
    // 俞汇塘: rain washes farmland N and P in; DO drops as it decays.
    const rain = s.code === 'W-JS-02' ? episode(day, '2026-07-06', [1.8, 3.0, 4.2, 5.0, 4.8, 4.2, 3.5, 2.8, 2.2, 1.8, 1.4, 1.2]) : 1;
    // 淀山湖湖心: an August algal bloom lifts TP and pH and supersaturates DO by day.
    const bloom = s.code === 'W-QP-03' ? episode(day, '2026-08-10', [1.2, 1.4, 1.6, 1.7, 1.8, 1.8, 1.7, 1.6, 1.4, 1.3, 1.15]) : 1;
    const values: Array<[string, number, number, string]> = [
      ['w01010', temp, 1, '℃'],
      ['w01001', 7.55 + 0.25 * summer + 0.9 * (bloom - 1) + 0.12 * rng.normal(), 2, '无量纲'],
      ['w01009', doSaturation(temp) * w.doShare * (1 + 0.25 * (bloom - 1)) / Math.sqrt(rain) * Math.exp(0.05 * rng.normal()), 2, 'mg/L'],
      ['w01019', w.codmn * (1 + 0.12 * summer) * drift.codmn.step() * Math.sqrt(rain) * Math.sqrt(bloom), 1, 'mg/L'],
      ['w21003', w.nh3n * (1 + 0.35 * winter) * drift.nh3n.step() * rain, 3, 'mg/L'],
      ['w21011', w.tp * (1 + 0.18 * summer) * drift.tp.step() * rain ** 0.75 * bloom, 3, 'mg/L'],
      ['w21001', w.tn * (1 + 0.25 * winter) * drift.tn.step() * Math.sqrt(rain), 2, 'mg/L'],
    ];
    const maintenance = local(day).d === maintenanceDay;
    for (const [p, v, digits, unit] of values) {
      const analyser = p === 'w21003' || p === 'w21011' || p === 'w21001' || p === 'w01019';
      const flag = maintenance ? DataFlag.M
        : analyser && rng.float() < 0.012 ? DataFlag.D
          : analyser && rng.float() < 0.005 ? DataFlag.C
            : DataFlag.N;
      rows.push(id, p, day, ObservationInterval.DAY, fix(distort(flag, v, rng), digits), unit, flag);
    }
  }
}

/** Parameters, units and typical levels of the outlets (mg/L, mg/m³, pH). */
const OUTLETS: Record<Outlet, Array<[string, number, number, string]>> = {
  WASTEWATER: [['w01018', 38, 0, 'mg/L'], ['w21003', 1.6, 2, 'mg/L'], ['w01001', 7.3, 2, '无量纲']],
  WWTP: [['w01018', 17, 0, 'mg/L'], ['w21003', 0.45, 2, 'mg/L'], ['w21011', 0.18, 2, 'mg/L']],
  BOILER: [['a21026', 6, 0, 'mg/m³'], ['a21002', 38, 0, 'mg/m³'], ['a34013', 3.2, 1, 'mg/m³']],
  VOC: [['a34013', 6.5, 1, 'mg/m³'], ['a24088', 12, 1, 'mg/m³']],
};

function sourceSeries(rows: Rows, id: string, s: StationDef, index: number, rng: Rng, hourlyStart: number): void {
  const params = OUTLETS[s.source!.outlet];
  const flags = hourlyFlagger(rng, index + 100);
  const drift = params.map(() => new Drift(rng, 0.97, 0.03));
  for (let at = hourlyStart; at < REFERENCE; at += HOUR) {
    const t = local(at);
    const working = t.h >= 7 && t.h < 22 ? 1 : 0.75;
    // A dyeing outlet's treatment upset: COD above the permit limit for a working afternoon.
    const upset = s.code === 'P-WJ-01' && t.m === 10 && t.d === 14 && t.h >= 10 && t.h < 17 ? 2.6 : 1;
    params.forEach(([p, typical, digits, unit], i) => {
      const level = p === 'w01001' ? typical + 0.2 * rng.normal() : typical * working * drift[i].step() * Math.exp(0.1 * rng.normal()) * (p === 'w01018' ? upset : 1);
      const flag = flags.at(p, at, true);
      rows.push(id, p, at, ObservationInterval.HOUR, fix(distort(flag, level, rng), digits), unit, flag);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

interface Candidate {
  id: string;
  owner: string;
  industry: string;
  name: string;
}

/** Picks the outlet's enterprise: the first of its district in USCC order, preferring its industry. */
function pickEnterprise(candidates: Candidate[], s: StationDef, taken: Set<string>): Candidate | null {
  const own = candidates.filter((c) => c.owner === s.owner && !taken.has(c.id));
  const choice = own.find((c) => c.industry.startsWith(s.source!.industry)) ?? own[0];
  if (!choice) return null;
  taken.add(choice.id);
  return choice;
}

/**
 * Loads the demo monitoring stations and their series (see the module comment). Idempotent per
 * station: stations whose code already exists are left alone with their data. Uses `ds.query`
 * only, with batched unnest inserts, so it runs on PGlite's single connection.
 */
export async function seedMonitoringData(ds: DataSource, opts: MonitoringSeedOptions): Promise<MonitoringSeedResult> {
  const days = opts.days ?? 365;
  if (!Number.isInteger(opts.seed)) throw new Error('seed must be an integer');
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new Error('days must be an integer from 1 to 3660');
  const seed = opts.seed >>> 0;
  const start = REFERENCE - days * DAY;
  const hourlyStart = REFERENCE - Math.min(days, HOURLY_DAYS) * DAY;

  // Pollution-source outlets belong to existing enterprises of their district, when there are any.
  const candidates: Candidate[] = (await ds.query(
    `SELECT id, owner_jurisdiction AS owner, industry_code AS industry, name FROM (
       SELECT e.id, e.owner_jurisdiction, e.industry_code, e.uscc, e.name,
         row_number() OVER (PARTITION BY e.owner_jurisdiction ORDER BY (e.industry_code LIKE ANY($1::text[])) DESC, e.uscc) AS rn
       FROM enterprise e WHERE e.registration_status = 'ACTIVE') x
     WHERE rn <= 50 ORDER BY owner_jurisdiction, rn`,
    [[...new Set(MONITORING_STATIONS.filter((s) => s.source).map((s) => `${s.source!.industry}%`))]],
  )) as never;
  const taken = new Set<string>();
  const enterpriseOf = new Map(MONITORING_STATIONS.filter((s) => s.source).map((s) => [s.code, pickEnterprise(candidates, s, taken)]));

  const cols = {
    code: [] as string[], name: [] as string[], kind: [] as string[], owner: [] as string[], control: [] as Array<string | null>,
    waterbody: [] as Array<string | null>, waterName: [] as Array<string | null>, target: [] as Array<string | null>, drinking: [] as boolean[],
    catalog: [] as string[], lon: [] as string[], lat: [] as string[], enterprise: [] as Array<string | null>, system: [] as string[],
  };
  for (const s of MONITORING_STATIONS) {
    cols.code.push(s.code);
    const enterprise = enterpriseOf.get(s.code);
    cols.name.push(enterprise ? `${enterprise.name}${OUTLET_SUFFIX[s.source!.outlet]}`.slice(0, 100) : s.name);
    cols.kind.push(s.kind);
    cols.owner.push(s.owner);
    cols.control.push(s.control ?? null);
    cols.waterbody.push(s.waterbody ?? null);
    cols.waterName.push(s.waterName ?? null);
    cols.target.push(s.target ?? null);
    cols.drinking.push(s.drinking === true);
    cols.catalog.push(catalogResource(s));
    cols.lon.push(s.lon.toFixed(6));
    cols.lat.push(s.lat.toFixed(6));
    cols.enterprise.push(enterprise?.id ?? null);
    cols.system.push(sourceSystem(s));
  }
  const inserted: Array<{ id: string; code: string }> = await ds.query(
    `INSERT INTO monitoring_station (code, name, kind, owner_jurisdiction, control_level, waterbody, water_name, target_class, drinking_water_source,
       catalog_resource_code, longitude, latitude, enterprise_id, source_system, source_record_id, source_as_of)
     SELECT u.code, u.name, u.kind, u.owner, u.control, u.waterbody, u.water_name, u.target, u.drinking, u.catalog, u.lon, u.lat, u.enterprise,
       u.system, u.code, $15::timestamptz
     FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[],
       $9::boolean[], $10::varchar[], $11::numeric[], $12::numeric[], $13::uuid[], $14::varchar[])
       AS u(code, name, kind, owner, control, waterbody, water_name, target, drinking, catalog, lon, lat, enterprise, system)
     ON CONFLICT (code) DO NOTHING
     RETURNING id, code`,
    [cols.code, cols.name, cols.kind, cols.owner, cols.control, cols.waterbody, cols.waterName, cols.target, cols.drinking, cols.catalog,
      cols.lon, cols.lat, cols.enterprise, cols.system, new Date(REFERENCE).toISOString()],
  );
  const idOf = new Map(inserted.map((r) => [r.code, r.id]));

  // The history's months get their partitions before it is written (else it would all land in the default partition).
  await ensureObservationPartitions(ds, monthOf(new Date(start)), addMonths(monthOf(new Date(REFERENCE)), 0));
  let observations = 0;
  let rows = new Rows();
  const flush = async (all: boolean) => {
    while (rows.length >= BATCH || (all && rows.length > 0)) {
      const n = Math.min(BATCH, rows.length);
      const take = (a: string[]) => a.slice(0, n);
      const [{ n: written }]: Array<{ n: number }> = await ds.query(
        `WITH ins AS (
           INSERT INTO observation (station_id, parameter, observed_at, interval, value, unit, flag)
           SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::timestamptz[], $4::varchar[], $5::numeric[], $6::varchar[], $7::char[])
           ON CONFLICT (station_id, parameter, observed_at) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [take(rows.stationId), take(rows.parameter), take(rows.observedAt), take(rows.interval), take(rows.value), take(rows.unit), take(rows.flag)],
      );
      observations += written;
      const rest = new Rows();
      for (const k of ['stationId', 'parameter', 'observedAt', 'interval', 'value', 'unit', 'flag'] as const) rest[k] = rows[k].slice(n);
      rows = rest;
    }
  };

  for (const [index, s] of MONITORING_STATIONS.entries()) {
    const id = idOf.get(s.code);
    if (!id) continue;
    // Offset from the enterprise streams of the same seed, so stations draw their own numbers.
    const rng = new Rng(seed ^ 0x6d6f6e69, index + 1);
    if (s.kind === StationKind.AIR) airSeries(rows, id, s, index, rng, start, hourlyStart);
    else if (s.kind === StationKind.SURFACE_WATER) waterSeries(rows, id, s, index, rng, start);
    else sourceSeries(rows, id, s, index, rng, hourlyStart);
    await flush(false);
  }
  await flush(true);
  return { stations: inserted.length, observations };
}
