import { registerEnumType } from 'type-graphql';
import { District, DISTRICTS } from '../../domain/jurisdictions';
import { NON_PERSON_RESOURCE_KINDS } from '../../auth/policy';
import riskLevels from './data/risk-levels.json';
import upstream from './data/upstream-reaches.json';

/**
 * The codes of risk sources and emergency resources (issue 17 item 4). Risk levels are data
 * (data/risk-levels.json, HJ 941-2018's three grades), so a province's own grading can be loaded
 * without a code change; the kinds of emergency resource are the hub's own enum.
 */

/** What an emergency resource is: a monitoring team, an expert (a person: personal data masked), equipment, or a stock of material. */
export enum EmergencyResourceKind {
  MONITORING_TEAM = 'MONITORING_TEAM',
  EXPERT = 'EXPERT',
  EQUIPMENT = 'EQUIPMENT',
  MATERIAL = 'MATERIAL',
}

// The policy names the kinds that are not a person (their names are shown in full); the two lists must agree.
const notPerson = Object.values(EmergencyResourceKind).filter((k) => k !== EmergencyResourceKind.EXPERT);
if (notPerson.join() !== [...NON_PERSON_RESOURCE_KINDS].join()) throw new Error('policy NON_PERSON_RESOURCE_KINDS disagrees with EmergencyResourceKind');

export function registerEmergencyEnums(): void {
  registerEnumType(EmergencyResourceKind, {
    name: 'EmergencyResourceKind',
    description: 'MONITORING_TEAM (应急监测队伍), EXPERT (应急专家: a person, personal data masked outside the owner), EQUIPMENT (应急装备), MATERIAL (应急物资).',
  });
}

export interface RiskLevel {
  code: string;
  name: string;
  nameEn: string;
  rank: number;
}

/** The risk levels in force, lowest first. */
export const RISK_LEVELS: readonly RiskLevel[] = [...riskLevels.levels].sort((a, b) => a.rank - b.rank);
export const RISK_LEVELS_VERSION = riskLevels.version;
export const RISK_LEVEL_CODES: readonly string[] = RISK_LEVELS.map((l) => l.code);

/** One upstream reach of a section: a district and the receiving waters in it that flow to the section. */
export interface UpstreamReach {
  district: District;
  waters: readonly string[];
}

/** Upstream reaches by surface-water station code (data/upstream-reaches.json), checked when the module loads. */
export const UPSTREAM_REACHES: ReadonlyMap<string, readonly UpstreamReach[]> = new Map(upstream.sections.map((s) => {
  for (const r of s.reaches) {
    if (!(DISTRICTS as readonly string[]).includes(r.district)) throw new Error(`upstream-reaches.json: ${s.station} names ${r.district}, not a district`);
    if (r.waters.length === 0) throw new Error(`upstream-reaches.json: ${s.station} has a reach of ${r.district} without waters`);
  }
  return [s.station, s.reaches as UpstreamReach[]];
}));
export const UPSTREAM_VERSION = upstream.version;
