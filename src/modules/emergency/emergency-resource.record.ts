import { RecordType } from '../../auth/policy';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { defineRecord, RecordField } from '../dossier/record-declaration';
import { EmergencyResourceKind } from './emergency.codes';
import { LATITUDE, LONGITUDE } from './risk-source.record';

/** The district that keeps the resource and lends it: it owns the record. */
const KEEPING_DISTRICT: RecordField = {
  name: 'jurisdiction', kind: 'enum', enum: Jurisdiction, allowed: DISTRICTS, only: 'input', required: true,
  description: 'The district that keeps the resource (and lends it); it owns the record.',
};

/** An emergency resource a district keeps and can lend (应急资源): a monitoring team, an expert, equipment or material. */
export const EMERGENCY_RESOURCE = defineRecord({
  name: 'emergencyResource',
  recordType: RecordType.EMERGENCY_RESOURCE,
  typeName: 'EmergencyResource',
  description: 'An emergency resource a district keeps and can lend (应急资源): a monitoring team and its capabilities, an expert and the fields, equipment or a stock of material with its type, quantity and location. An expert is a person: name, phone and ID number are masked outside the owner\'s jurisdiction.',
  inputDescription: 'An emergency resource as the keeping district\'s register states it, keyed by resource number.',
  table: 'emergency_resource',
  plural: 'emergencyResources',
  key: { field: 'resourceNo', describedAs: 'resource number' },
  order: { by: ['resourceNo'], dir: 'ASC' },
  owner: (v) => v.jurisdiction as (typeof DISTRICTS)[number] | undefined,
  fields: [
    { name: 'resourceNo', kind: 'text', column: 'resource_no', required: true, maxLength: 40, pattern: { re: /^[A-Za-z0-9-]+$/, hint: 'must be letters, digits and - only' }, description: 'Resource number: the natural key.' },
    KEEPING_DISTRICT,
    { name: 'kind', kind: 'enum', enum: EmergencyResourceKind, column: 'kind', required: true, description: 'What the resource is; a record does not change its kind.' },
    {
      name: 'name', kind: 'text', column: 'name', required: true, maxLength: 200, mask: { rule: 'expertPersonal', as: 'name' }, personal: true,
      description: 'The team, equipment or material; for an EXPERT the expert\'s name (personal data, masked outside the owner).',
    },
    { name: 'organisation', kind: 'text', column: 'organisation', maxLength: 200, description: 'The unit that keeps it, or the expert\'s employer.' },
    { name: 'capabilities', kind: 'textList', column: 'capabilities', maxLength: 100, description: 'What a team can monitor (VOCs, heavy metals…) or an expert\'s fields (water pollution, hazardous chemicals…).' },
    { name: 'equipmentType', kind: 'text', column: 'equipment_type', maxLength: 64, pattern: { re: /^[A-Z0-9_]+$/, hint: 'must be an upper-case code like OIL_BOOM' }, description: 'Equipment or material type, as a code (PORTABLE_GC_MS, MONITORING_VEHICLE, OIL_BOOM, ACTIVATED_CARBON…); the `nearestEmergencyResources` filter.' },
    { name: 'quantity', kind: 'decimal', column: 'quantity', scale: 3, description: 'How many or how much (equipment and material); greater than 0.' },
    { name: 'unit', kind: 'text', column: 'unit', maxLength: 16, description: 'Unit of the quantity (set, t, m, kg); with quantity.' },
    { ...LATITUDE, description: 'WGS 84 latitude of where it is kept, decimal degrees (-90 to 90).' },
    { ...LONGITUDE, description: 'WGS 84 longitude of where it is kept, decimal degrees (-180 to 180).' },
    { name: 'address', kind: 'text', column: 'address', maxLength: 200, description: 'Where it is kept or stationed.' },
    {
      name: 'contactPhone', kind: 'text', column: 'contact_phone', maxLength: 32, mask: { rule: 'expertPersonal', as: 'phone' }, personal: true,
      pattern: { re: /^[0-9+\-() ]+$/, hint: 'must be digits, spaces and + - ( ) only' },
      description: 'Phone to call it out: a team\'s or depot\'s duty line, or the expert\'s own (personal data, masked outside the owner).',
    },
    {
      name: 'idNumber', kind: 'text', column: 'id_number', maxLength: 32, mask: { rule: 'expertPersonal', as: 'id' }, personal: true,
      pattern: { re: /^[0-9A-Za-z]+$/, hint: 'must be letters and digits only' },
      description: 'An EXPERT\'s ID number (personal data, masked outside the owner); empty for the other kinds.',
    },
  ],
  check(v, add) {
    if (typeof v.quantity === 'string' && Number(v.quantity) <= 0) add('quantity', `must be greater than 0, got ${v.quantity}`);
    if ((v.quantity === null) !== (v.unit === null) && v.quantity !== undefined && v.unit !== undefined) add(v.quantity === null ? 'quantity' : 'unit', 'quantity and unit go together: give both or neither');
    if (v.kind && v.kind !== EmergencyResourceKind.EXPERT && typeof v.idNumber === 'string') add('idNumber', `is for an EXPERT only, not a ${v.kind}`);
    if ((v.kind === EmergencyResourceKind.EQUIPMENT || v.kind === EmergencyResourceKind.MATERIAL) && v.equipmentType === null) add('equipmentType', `is required for ${v.kind}`);
  },
});
