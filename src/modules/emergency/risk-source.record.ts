import { RecordType } from '../../auth/policy';
import { defineRecord, RecordField } from '../dossier/record-declaration';
import type { ItemShape, Values, AddProblem } from '../dossier/record-fields';
import { beijingDay, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';
import { RISK_LEVEL_CODES, RISK_LEVELS_VERSION } from './emergency.codes';

/** WGS 84 coordinates, six decimals (about 0.1 m): checked against their ranges, indexed for the bounding-box prefilter. */
export const LATITUDE: RecordField = {
  name: 'latitude', kind: 'decimal', column: 'latitude', required: true, scale: 6, min: -90, max: 90,
  description: 'WGS 84 latitude, decimal degrees (-90 to 90).',
};
export const LONGITUDE: RecordField = {
  name: 'longitude', kind: 'decimal', column: 'longitude', required: true, scale: 6, min: -180, max: 180,
  description: 'WGS 84 longitude, decimal degrees (-180 to 180).',
};

const SUBSTANCE: ItemShape = {
  noun: 'a risk substance',
  fields: [
    { name: 'substance', kind: 'text', required: true, maxLength: 100, description: 'The substance, as the risk assessment names it (HJ 169 annex B / HJ 941 annex A).' },
    { name: 'casNo', kind: 'text', maxLength: 12, pattern: { re: /^\d{2,7}-\d{2}-\d$/, hint: 'must be a CAS number like 7440-36-0' }, description: 'CAS registry number, where the substance has one.' },
    { name: 'quantity', kind: 'decimal', required: true, scale: 3, description: 'Largest quantity present at any time; greater than 0.' },
    { name: 'unit', kind: 'text', required: true, maxLength: 16, description: 'Unit of the quantities (t, kg, m³).' },
    { name: 'criticalQuantity', kind: 'decimal', scale: 3, description: 'The substance\'s critical quantity (临界量) in the same unit, where the assessment lists one; greater than 0.' },
  ],
  input: { name: 'RiskSubstanceInput', description: 'A risk substance of the source, with its largest quantity present.' },
  output: { name: 'RiskSubstance', description: 'A risk substance (环境风险物质) of the source: its largest quantity present and, where listed, its critical quantity.' },
};

const RECEPTOR: ItemShape = {
  noun: 'a receptor',
  fields: [
    { name: 'kind', kind: 'text', required: true, maxLength: 40, description: 'What is exposed: DRINKING_WATER_INTAKE, RESIDENTIAL_AREA, SCHOOL, NATURE_RESERVE, WATER_BODY…' },
    { name: 'name', kind: 'text', required: true, maxLength: 100, description: 'Its name (金泽水库取水口).' },
    { name: 'distanceKm', kind: 'decimal', required: true, scale: 2, description: 'Distance from the source, km (along the water for a water receptor).' },
    { name: 'downstream', kind: 'text', maxLength: 8, pattern: { re: /^(YES|NO)$/, hint: 'must be YES or NO' }, description: 'YES when it lies downstream of the source\'s discharge.' },
  ],
  input: { name: 'RiskReceptorInput', description: 'A receptor (环境风险受体) exposed to the source.' },
  output: { name: 'RiskReceptor', description: 'A receptor (环境风险受体) exposed to the source: a drinking-water intake downstream, a residential area, a school…' },
};

/** Each quantity of a list of items greater than zero: a stock of nothing is no risk and a typo. */
function positiveQuantities(v: Values, add: AddProblem, list: string, fields: readonly string[]): void {
  const items = Array.isArray(v[list]) ? (v[list] as Values[]) : [];
  items.forEach((item, i) => {
    for (const f of fields) if (typeof item[f] === 'string' && Number(item[f]) <= 0) add(`${list}.${i}.${f}`, `must be greater than 0, got ${item[f]}`);
  });
}

/** An enterprise's environmental risk source (环境风险源): what it stores, how risky, who is exposed, its filed emergency plan. */
export const RISK_SOURCE = defineRecord({
  name: 'riskSource',
  recordType: RecordType.RISK_SOURCE,
  typeName: 'RiskSource',
  description: 'An environmental risk source (环境风险源) of an enterprise: its risk substances and largest quantities present, its risk level (HJ 941-2018: general, larger, major), the receptors exposed (drinking-water intakes downstream…), its filed emergency plan (突发环境事件应急预案备案) and its location.',
  inputDescription: 'A risk source as the district\'s risk-source register (and the enterprise\'s filed emergency plan) states it, keyed by source number.',
  table: 'risk_source',
  plural: 'riskSources',
  key: { field: 'sourceNo', describedAs: 'risk source number' },
  order: { by: ['sourceNo'], dir: 'ASC' },
  filters: { date: 'planFiledOn', dateLabel: 'Day the emergency plan was filed', status: 'riskLevel' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'sourceNo', kind: 'text', column: 'source_no', required: true, maxLength: 40, pattern: { re: /^[A-Za-z0-9-]+$/, hint: 'must be letters, digits and - only' }, description: 'Risk source number: the natural key.' },
    { name: 'name', kind: 'text', column: 'name', required: true, maxLength: 200, description: 'The source (the plant, tank farm or warehouse), as registered.' },
    {
      name: 'riskLevel', kind: 'text', column: 'risk_level', required: true, maxLength: 16,
      description: `Risk level code (${RISK_LEVEL_CODES.join(', ')}; codes as data, ${RISK_LEVELS_VERSION}).`,
    },
    { name: 'riskLevelDetail', kind: 'text', column: 'risk_level_detail', maxLength: 200, description: 'The grading as filed, with its air and water parts (较大[较大-水(Q2-M2-E1)+一般-大气(Q0)]).' },
    { name: 'riskSubstances', kind: 'objectList', column: 'risk_substances', items: SUBSTANCE, description: 'The risk substances and their largest quantities present.' },
    { name: 'receptors', kind: 'objectList', column: 'receptors', items: RECEPTOR, description: 'Receptors exposed to the source: drinking-water intakes downstream first.' },
    { name: 'receivingWater', kind: 'text', column: 'receiving_water', maxLength: 50, description: 'The water body the site drains or discharges to (受纳水体): what makes it upstream of a section (docs/risk-sources.md).' },
    { name: 'planFilingNo', kind: 'text', column: 'plan_filing_no', maxLength: 40, description: 'Filing number of the emergency plan (预案备案编号); with planFiledOn.' },
    { name: 'planFiledOn', kind: 'date', column: 'plan_filed_on', description: 'Day the plan was filed; not in the future, not after asOf.' },
    LATITUDE,
    LONGITUDE,
    { name: 'address', kind: 'text', column: 'address', maxLength: 200, description: 'Address of the site.' },
  ],
  check(v, add) {
    if (typeof v.riskLevel === 'string' && !RISK_LEVEL_CODES.includes(v.riskLevel)) {
      add('riskLevel', `unknown risk level "${v.riskLevel}": must be one of ${RISK_LEVEL_CODES.join(', ')} (${RISK_LEVELS_VERSION})`);
    }
    positiveQuantities(v, add, 'riskSubstances', ['quantity', 'criticalQuantity']);
    if (typeof v.planFiledOn === 'string' && v.planFiledOn > beijingDay(new Date().toISOString())) add('planFiledOn', `is in the future (${v.planFiledOn})`);
    else notAfterAsOf(v, add, 'planFiledOn');
    if ((v.planFilingNo === null) !== (v.planFiledOn === null) && v.planFilingNo !== undefined && v.planFiledOn !== undefined) {
      add(v.planFilingNo === null ? 'planFilingNo' : 'planFiledOn', 'planFilingNo and planFiledOn go together: give both or neither');
    }
  },
});
