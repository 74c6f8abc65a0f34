import type { DataSource } from 'typeorm';
import { SYSTEM_PRINCIPAL } from '../auth/principal';
import { Jurisdiction } from '../domain/jurisdictions';
import { RecordWriter } from '../modules/dossier/record-writer';
import { EMERGENCY_RESOURCE, RISK_SOURCE } from '../modules/emergency';
import { Rng } from './rng';

/**
 * The demo's risk sources and emergency resources (issue 17 item 4): a few dozen rows across the
 * three districts, at real places around Dianshan Lake and along the Taipu River, written through
 * the one writer as the system principal. Risk sources belong to demo enterprises of their district
 * (the first ones by USCC); names, people and figures are invented. Reproducible for a seed.
 */

export const EMERGENCY_SEED_ACTOR = `${SYSTEM_PRINCIPAL.sub}:seed`;
const AS_OF = '2026-11-01T08:00:00+08:00';
const LOADED_AT = '2026-11-01T00:00:00.000Z';

interface Place { town: string; lat: number; lon: number; water: string }

/** Towns of each district with the water their industry drains to: what puts a source upstream of a section or not. */
const PLACES: Record<'QINGPU' | 'WUJIANG' | 'JIASHAN', Place[]> = {
  QINGPU: [
    { town: '金泽镇', lat: 31.040, lon: 120.925, water: '太浦河' },
    { town: '商榻', lat: 31.118, lon: 120.930, water: '淀山湖' },
    { town: '朱家角镇', lat: 31.108, lon: 121.045, water: '淀山湖' },
    { town: '练塘镇', lat: 31.012, lon: 121.048, water: '拦路港' },
    { town: '西岑', lat: 31.065, lon: 120.958, water: '急水港' },
  ],
  WUJIANG: [
    { town: '盛泽镇', lat: 30.918, lon: 120.655, water: '太浦河' },
    { town: '平望镇', lat: 30.975, lon: 120.640, water: '太浦河' },
    { town: '黎里镇', lat: 30.995, lon: 120.722, water: '太浦河' },
    { town: '芦墟(汾湖)', lat: 31.003, lon: 120.806, water: '汾湖' },
    { town: '黎里北', lat: 31.085, lon: 120.860, water: '元荡' },
  ],
  JIASHAN: [
    { town: '陶庄镇', lat: 30.975, lon: 120.812, water: '太浦河' },
    { town: '西塘镇', lat: 30.948, lon: 120.892, water: '长白荡' },
    { town: '姚庄镇', lat: 30.905, lon: 120.955, water: '红旗塘' },
    { town: '惠民街道', lat: 30.850, lon: 120.940, water: '俞汇塘' },
  ],
};

interface Substance { substance: string; casNo: string | null; unit: string; critical: string | null; range: [number, number] }
const SUBSTANCES: Substance[] = [
  { substance: '三氧化二锑', casNo: '1309-64-4', unit: 't', critical: '0.25', range: [0.5, 6] },
  { substance: '盐酸(≥37%)', casNo: '7647-01-0', unit: 't', critical: '7.5', range: [2, 40] },
  { substance: '硫酸', casNo: '7664-93-9', unit: 't', critical: '10', range: [3, 60] },
  { substance: '次氯酸钠', casNo: '7681-52-9', unit: 't', critical: '5', range: [1, 20] },
  { substance: '甲苯', casNo: '108-88-3', unit: 't', critical: '10', range: [1, 30] },
  { substance: '二甲苯', casNo: '1330-20-7', unit: 't', critical: '10', range: [1, 25] },
  { substance: '甲醇', casNo: '67-56-1', unit: 't', critical: '10', range: [2, 50] },
  { substance: '液氯', casNo: '7782-50-5', unit: 't', critical: '1', range: [0.5, 5] },
  { substance: '柴油', casNo: null, unit: 't', critical: '2500', range: [5, 80] },
  { substance: '乙酸乙酯', casNo: '141-78-6', unit: 't', critical: '10', range: [1, 15] },
];

const INTAKES: Record<string, Array<{ name: string; km: number }>> = {
  太浦河: [{ name: '金泽水库取水口', km: 12 }, { name: '长白荡水源地', km: 9 }],
  汾湖: [{ name: '金泽水库取水口', km: 8 }],
  淀山湖: [{ name: '淀山湖朱家角取水口', km: 6 }],
  急水港: [{ name: '淀山湖朱家角取水口', km: 10 }],
  元荡: [{ name: '淀山湖朱家角取水口', km: 14 }],
  长白荡: [{ name: '长白荡水源地', km: 2.5 }],
};

const PLANTS = ['印染车间及助剂库', '化学品储罐区', '污水处理站', '电镀生产线', '涂装车间及溶剂库', '危险废物贮存库', '原料仓库', '锅炉房及油罐'];

const CODES: Record<'QINGPU' | 'WUJIANG' | 'JIASHAN', { code: string; filing: string; district: string; prefix: string }> = {
  QINGPU: { code: 'QP', filing: '310118', district: '青浦区', prefix: '1381' },
  WUJIANG: { code: 'WJ', filing: '320509', district: '吴江区', prefix: '1390' },
  JIASHAN: { code: 'JS', filing: '330421', district: '嘉善县', prefix: '1375' },
};

function jitter(rng: Rng, v: number, by: number): number {
  return Number((v + (rng.float() - 0.5) * 2 * by).toFixed(6));
}

function amount(rng: Rng, [lo, hi]: [number, number]): string {
  return (lo + rng.float() * (hi - lo)).toFixed(3);
}

/** Risk-source inputs of a district, for its enterprises (one or more sources each). */
export function riskSourceInputs(district: 'QINGPU' | 'WUJIANG' | 'JIASHAN', usccs: readonly string[], seed: number): unknown[] {
  const c = CODES[district];
  const places = PLACES[district];
  const out: unknown[] = [];
  for (let i = 0; i < 8 && usccs.length > 0; i++) {
    const rng = new Rng(seed >>> 0, 0x715c + i + district.length * 101);
    const place = places[i % places.length];
    const first = Math.floor(rng.float() * SUBSTANCES.length);
    const subs = Array.from({ length: 1 + (i % 3) }, (_, k) => SUBSTANCES[(first + k * 3) % SUBSTANCES.length]);
    // Dyeing along the Taipu holds antimony trioxide: the river's joint watch exists because of it.
    if (place.water === '太浦河' && !subs.some((s) => s.casNo === '1309-64-4')) subs.unshift(SUBSTANCES[0]);
    const riskSubstances = subs.map((s) => ({ substance: s.substance, casNo: s.casNo, quantity: amount(rng, s.range), unit: s.unit, criticalQuantity: s.critical }));
    const ratio = Math.max(...riskSubstances.map((s) => Number(s.quantity) / Number(s.criticalQuantity)));
    const riskLevel = ratio >= 10 ? 'MAJOR' : ratio >= 1 ? 'LARGER' : 'GENERAL';
    const receptors = (INTAKES[place.water] ?? []).map((x) => ({ kind: 'DRINKING_WATER_INTAKE', name: x.name, distanceKm: x.km.toFixed(2), downstream: 'YES' }));
    receptors.push({ kind: 'RESIDENTIAL_AREA', name: `${place.town}镇区`, distanceKm: (0.5 + rng.float() * 2).toFixed(2), downstream: 'NO' });
    const filed = i % 5 !== 4;
    const month = String(1 + (i * 5) % 12).padStart(2, '0');
    out.push({
      sourceNo: `RS-${c.code}-${String(i + 1).padStart(3, '0')}`,
      uscc: usccs[i % usccs.length],
      name: `${place.town}${PLANTS[(i + district.length) % PLANTS.length]}`,
      riskLevel,
      riskLevelDetail: `${{ MAJOR: '重大', LARGER: '较大', GENERAL: '一般' }[riskLevel]}[${{ MAJOR: '重大', LARGER: '较大', GENERAL: '一般' }[riskLevel]}-水]`,
      riskSubstances,
      receptors,
      receivingWater: place.water,
      planFilingNo: filed ? `${c.filing}-${2023 + (i % 3)}-${String(10 + i * 7).padStart(3, '0')}-${riskLevel === 'MAJOR' ? 'H' : riskLevel === 'LARGER' ? 'M' : 'L'}` : null,
      planFiledOn: filed ? `${2023 + (i % 3)}-${month}-15` : null,
      latitude: jitter(rng, place.lat, 0.01).toFixed(6),
      longitude: jitter(rng, place.lon, 0.01).toFixed(6),
      address: `${c.district}${place.town}工业园区${1 + i}号`,
      sourceSystem: `${c.code}-RISK-REGISTER`,
      sourceRecordId: `RSR-${c.code}-${1000 + i}`,
      asOf: AS_OF,
    });
  }
  return out;
}

const EXPERT_FIELDS = [['水污染防治', '饮用水水源保护'], ['危险化学品', '环境风险评估'], ['重金属污染', '应急监测'], ['大气污染', 'VOCs'], ['环境损害鉴定评估']];
const EXPERT_NAMES = ['王建国', '李秀英', '张伟', '陈静', '刘洋', '周敏', '吴磊', '孙丽', '徐志强'];
const EQUIPMENT: Array<{ type: string; name: string; unit: string; n: [number, number] }> = [
  { type: 'MONITORING_VEHICLE', name: '水质应急监测车', unit: '辆', n: [1, 2] },
  { type: 'PORTABLE_GC_MS', name: '便携式气相色谱-质谱联用仪', unit: '台', n: [1, 3] },
  { type: 'OIL_BOOM', name: '围油栏', unit: 'm', n: [300, 1500] },
  { type: 'PORTABLE_HEAVY_METAL_ANALYZER', name: '便携式重金属分析仪', unit: '台', n: [1, 4] },
];
const MATERIALS: Array<{ type: string; name: string; unit: string; n: [number, number] }> = [
  { type: 'ACTIVATED_CARBON', name: '粉末活性炭', unit: 't', n: [5, 40] },
  { type: 'POLYFERRIC_SULFATE', name: '聚合硫酸铁（除锑药剂）', unit: 't', n: [10, 80] },
  { type: 'OIL_ABSORBENT', name: '吸油毡', unit: 'kg', n: [200, 2000] },
];

/** Emergency-resource inputs of a district: a monitoring team, three experts, equipment and materials. */
export function emergencyResourceInputs(district: 'QINGPU' | 'WUJIANG' | 'JIASHAN', seed: number): unknown[] {
  const c = CODES[district];
  const places = PLACES[district];
  const rng = new Rng(seed >>> 0, 0xe3e9 + district.length * 31);
  const base = (n: number, place: Place) => ({
    resourceNo: `ER-${c.code}-${String(n).padStart(3, '0')}`,
    jurisdiction: district,
    latitude: jitter(rng, place.lat, 0.008).toFixed(6),
    longitude: jitter(rng, place.lon, 0.008).toFixed(6),
    sourceSystem: `${c.code}-EMERGENCY-REGISTER`,
    sourceRecordId: `ERR-${c.code}-${2000 + n}`,
    asOf: AS_OF,
  });
  const phone = () => `${c.prefix}${String(Math.floor(rng.float() * 1e7)).padStart(7, '0')}`;
  const out: unknown[] = [];
  let n = 1;
  out.push({
    ...base(n++, places[0]), kind: 'MONITORING_TEAM', name: `${c.district}环境监测站应急监测队`, organisation: `${c.district}环境监测站`,
    capabilities: ['常规水质五参数', '重金属(锑、铬、镍)', 'VOCs', '石油类'], address: `${c.district}${places[0].town}监测站`, contactPhone: `0${c.code === 'QP' ? '21' : c.code === 'WJ' ? '512' : '573'}-8${String(Math.floor(rng.float() * 1e6)).padStart(6, '0')}`,
  });
  for (let e = 0; e < 3; e++) {
    const name = EXPERT_NAMES[(e * 3 + district.length) % EXPERT_NAMES.length];
    const year = 1962 + Math.floor(rng.float() * 25);
    out.push({
      ...base(n++, places[(e + 1) % places.length]), kind: 'EXPERT', name, organisation: `${c.district}生态环境局专家库`,
      capabilities: EXPERT_FIELDS[(e + district.length) % EXPERT_FIELDS.length], contactPhone: phone(),
      idNumber: `${c.filing}${year}0${1 + e}1${e}${String(100 + Math.floor(rng.float() * 899))}${e % 2 ? 'X' : String(e)}`,
    });
  }
  EQUIPMENT.forEach((q, i) => out.push({
    ...base(n++, places[i % places.length]), kind: 'EQUIPMENT', name: q.name, organisation: `${c.district}应急物资储备库`, equipmentType: q.type,
    quantity: String(q.n[0] + Math.floor(rng.float() * (q.n[1] - q.n[0] + 1))), unit: q.unit, address: `${c.district}${places[i % places.length].town}应急物资储备点`,
    contactPhone: `0${c.code === 'QP' ? '21' : c.code === 'WJ' ? '512' : '573'}-6${String(Math.floor(rng.float() * 1e6)).padStart(6, '0')}`,
  }));
  MATERIALS.forEach((q, i) => out.push({
    ...base(n++, places[(i + 2) % places.length]), kind: 'MATERIAL', name: q.name, organisation: `${c.district}应急物资储备库`, equipmentType: q.type,
    quantity: String(q.n[0] + Math.floor(rng.float() * (q.n[1] - q.n[0] + 1))), unit: q.unit, address: `${c.district}${places[(i + 2) % places.length].town}应急物资储备点`,
  }));
  return out;
}

export interface EmergencySeedResult { riskSources: number; emergencyResources: number }

/** Loads the demo's risk sources (for the enterprises already seeded) and emergency resources. */
export async function seedEmergencyData(ds: DataSource, opts: { seed: number }): Promise<EmergencySeedResult> {
  const writer = new RecordWriter(ds);
  const sources: unknown[] = [];
  const resources: unknown[] = [];
  for (const d of [Jurisdiction.QINGPU, Jurisdiction.WUJIANG, Jurisdiction.JIASHAN] as const) {
    const rows: Array<{ uscc: string }> = await ds.query(
      'SELECT uscc FROM enterprise WHERE owner_jurisdiction = $1 AND withdrawn_at IS NULL ORDER BY uscc LIMIT 8', [d]);
    sources.push(...riskSourceInputs(d, rows.map((r) => r.uscc), opts.seed));
    resources.push(...emergencyResourceInputs(d, opts.seed));
  }
  const stamp = { at: LOADED_AT, actor: EMERGENCY_SEED_ACTOR };
  await writer.load(SYSTEM_PRINCIPAL, RISK_SOURCE.write, sources.map((input) => ({ input })), stamp);
  await writer.load(SYSTEM_PRINCIPAL, EMERGENCY_RESOURCE.write, resources.map((input) => ({ input })), stamp);
  return { riskSources: sources.length, emergencyResources: resources.length };
}
