/**
 * Code lists of the monitoring module. Values are stored as these strings; the GraphQL enums of
 * the same names are registered in src/graphql/enums.ts.
 */

/** What a station measures: ambient air, a surface-water section or point, or a pollution source outlet. */
export enum StationKind {
  AIR = 'AIR', // 环境空气质量自动监测站
  SURFACE_WATER = 'SURFACE_WATER', // 地表水监测断面 / 点位
  POLLUTION_SOURCE = 'POLLUTION_SOURCE', // 污染源排放口在线监测点
}

/** GB 3838-2002 keeps separate TP limits for lakes and reservoirs, so a section must say which it is. */
export enum Waterbody {
  RIVER = 'RIVER',
  LAKE_RESERVOIR = 'LAKE_RESERVOIR',
}

/** Surface-water classes I–V and 劣V, as GB 3838-2002 and the 2011 method name them. */
export enum WaterClassCode {
  I = 'I',
  II = 'II',
  III = 'III',
  IV = 'IV',
  V = 'V',
  WORSE_THAN_V = 'WORSE_THAN_V',
}

/** Who set the point up and reports on it (国控, 省控, 市控, 区县控). */
export enum ControlLevel {
  NATIONAL = 'NATIONAL',
  PROVINCIAL = 'PROVINCIAL',
  MUNICIPAL = 'MUNICIPAL',
  DISTRICT = 'DISTRICT',
}

/** HJ 212-2017 data flags (`-Flag`); only N (instrument normal) feeds assessments. */
export enum DataFlag {
  N = 'N',
  F = 'F',
  M = 'M',
  S = 'S',
  D = 'D',
  C = 'C',
  T = 'T',
  B = 'B',
}

/** The period an observation stands for, starting at its `observedAt`. */
export enum ObservationInterval {
  /** A 1-h mean (HJ 212 CN 2061). */
  HOUR = 'HOUR',
  /** One automatic water sample of a 4-h cycle. */
  FOUR_HOURS = 'FOUR_HOURS',
  /**
   * A daily statistic (HJ 212 CN 2031), as the daily report uses it: the 24-h mean, except O3,
   * whose daily row is the daily maximum 8-h moving mean (GB 3095-2012's daily O3 statistic).
   */
  DAY = 'DAY',
  /** A minute-data mean (HJ 212 CN 2051), over the logger's minute interval (10 min by default). */
  MINUTE = 'MINUTE',
  /** A real-time value (HJ 212 CN 2011): the instrument's reading at that instant. */
  REAL_TIME = 'REAL_TIME',
}

/** Period of a stored-data water assessment. */
export enum AssessmentPeriod {
  DAY = 'DAY',
  MONTH = 'MONTH',
  YEAR = 'YEAR',
}

/** AQI report kinds: the daily report (日报) and the real-time hourly report (实时报). */
export enum AqiReportKind {
  DAILY = 'DAILY',
  HOURLY = 'HOURLY',
}

/**
 * AQI pollutants, named in GraphQL as the AqiInput fields are (so2 … pm25), so a partner reads
 * a result with the names it sent; the values are the names the calculator in
 * src/domain/standards/aqi.ts uses, so results pass through unchanged.
 */
export enum AqiPollutantCode {
  so2 = 'so2',
  no2 = 'no2',
  co = 'co',
  o3 = 'o3',
  o3_8h = 'o3_8h',
  pm10 = 'pm10',
  pm25 = 'pm25',
}

/** HJ 212-2017 codes of the six ambient-air pollutants the AQI needs (HJ 212-2017 appendix). */
export const AIR_PARAMETER = {
  so2: 'a21026',
  no2: 'a21004',
  co: 'a21005',
  o3: 'a05024',
  pm10: 'a34002',
  pm25: 'a34004',
} as const;

/** The six air parameters, in AQI report order. */
export const AIR_PARAMETERS: readonly string[] = Object.values(AIR_PARAMETER);

/** Days are calendar days in China Standard Time, which the zone's bulletins use (no DST). */
export const HUB_TIME_ZONE = 'Asia/Shanghai';
