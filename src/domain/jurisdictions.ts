/**
 * The jurisdictions of the Demonstration Zone and the principals around it (DESIGN.md, "What the hub serves").
 * Reference data: also written to the `jurisdiction` table by the first migration.
 */
export enum Jurisdiction {
  QINGPU = 'QINGPU',
  WUJIANG = 'WUJIANG',
  JIASHAN = 'JIASHAN',
  SHANGHAI = 'SHANGHAI',
  JIANGSU = 'JIANGSU',
  ZHEJIANG = 'ZHEJIANG',
  ZONE = 'ZONE',
  CREDIT_YRD = 'CREDIT_YRD',
}

export type District = Jurisdiction.QINGPU | Jurisdiction.WUJIANG | Jurisdiction.JIASHAN;

export type JurisdictionLevel = 'DISTRICT' | 'PROVINCE' | 'ZONE' | 'PLATFORM';

export interface JurisdictionInfo {
  code: Jurisdiction;
  name: string;
  nameZh: string;
  level: JurisdictionLevel;
  divisionCode: string | null;
  parent: Jurisdiction | null;
}

export const JURISDICTIONS: readonly JurisdictionInfo[] = [
  { code: Jurisdiction.QINGPU, name: 'Qingpu District', nameZh: '青浦区', level: 'DISTRICT', divisionCode: '310118', parent: Jurisdiction.SHANGHAI },
  { code: Jurisdiction.WUJIANG, name: 'Wujiang District', nameZh: '吴江区', level: 'DISTRICT', divisionCode: '320509', parent: Jurisdiction.JIANGSU },
  { code: Jurisdiction.JIASHAN, name: 'Jiashan County', nameZh: '嘉善县', level: 'DISTRICT', divisionCode: '330421', parent: Jurisdiction.ZHEJIANG },
  { code: Jurisdiction.SHANGHAI, name: 'Shanghai Municipality', nameZh: '上海市', level: 'PROVINCE', divisionCode: '310000', parent: null },
  { code: Jurisdiction.JIANGSU, name: 'Jiangsu Province', nameZh: '江苏省', level: 'PROVINCE', divisionCode: '320000', parent: null },
  { code: Jurisdiction.ZHEJIANG, name: 'Zhejiang Province', nameZh: '浙江省', level: 'PROVINCE', divisionCode: '330000', parent: null },
  { code: Jurisdiction.ZONE, name: 'Demonstration Zone Executive Committee', nameZh: '示范区执委会', level: 'ZONE', divisionCode: null, parent: null },
  { code: Jurisdiction.CREDIT_YRD, name: 'Credit Yangtze Delta platform', nameZh: '信用长三角', level: 'PLATFORM', divisionCode: null, parent: null },
];

export const DISTRICTS: readonly District[] = [Jurisdiction.QINGPU, Jurisdiction.WUJIANG, Jurisdiction.JIASHAN];

const byCode = new Map(JURISDICTIONS.map((j) => [j.code, j]));

export function jurisdictionInfo(code: Jurisdiction): JurisdictionInfo {
  const info = byCode.get(code);
  if (!info) throw new Error(`unknown jurisdiction ${code}`);
  return info;
}

export function isDistrict(code: string): code is District {
  return (DISTRICTS as readonly string[]).includes(code);
}

/** The province a district belongs to. */
export function provinceOf(district: District): Jurisdiction {
  return jurisdictionInfo(district).parent!;
}

/** The districts a jurisdiction covers: itself for a district, its districts for a province, all for ZONE. */
export function districtsCoveredBy(code: Jurisdiction): District[] {
  if (isDistrict(code)) return [code];
  if (code === Jurisdiction.ZONE) return [...DISTRICTS];
  return DISTRICTS.filter((d) => provinceOf(d) === code);
}

/** The district whose admin division code is given (positions 3–8 of a USCC), if it is one of the three. */
export function districtByDivisionCode(divisionCode: string): District | undefined {
  return DISTRICTS.find((d) => jurisdictionInfo(d).divisionCode === divisionCode);
}
