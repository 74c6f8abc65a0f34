import { RecordType } from '../../auth/policy';
import type { ClassType } from 'type-graphql';
import { INSPECTION_STEPS, InspectionOrigin, InspectionOutcome, InspectionSite, InspectionStatus, InspectionStep, InspectionTrigger, InspectionType } from '../../domain/codes';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { defineRecord } from '../dossier/record-declaration';
import type { ItemShape } from '../dossier/record-fields';
import { beijingDay, notAfterAsOf } from '../dossier/record-writer';
import { ENTERPRISE } from '../enterprise/enterprise.record';

/** One of the eight on-site steps, with when it was done. */
const STEP: ItemShape = {
  noun: 'a step',
  fields: [
    { name: 'step', kind: 'enum', enum: InspectionStep, required: true, description: 'The on-site step.' },
    { name: 'at', kind: 'datetime', required: true, description: 'When the step was done.' },
  ],
  input: { name: 'InspectionStepInput', description: 'One on-site step done, with its time. Strings, checked by the hub like every input field.' },
  output: { name: 'InspectionStepRecord', description: 'One of the eight on-site steps, with the time it was done.' },
};

/** An enforcement inspection (执法检查) with the eight-step on-site procedure. */
export const INSPECTION = defineRecord({
  name: 'inspection',
  recordType: RecordType.INSPECTION,
  typeName: 'Inspection',
  description: 'Enforcement inspection (执法检查) with the eight-step on-site procedure.',
  inputDescription: 'An enforcement inspection (执法检查) as the inspecting jurisdiction sends it, keyed by inspection number.',
  table: 'inspection',
  plural: 'inspections',
  key: { field: 'inspectionNo', describedAs: 'inspection number' },
  order: { by: ['inspectedOn', 'inspectionNo'], dir: 'DESC' },
  filters: { date: 'inspectedOn', dateLabel: 'Inspection date', status: 'status' },
  belongsTo: () => ENTERPRISE,
  fields: [
    { name: 'inspectionNo', kind: 'text', column: 'inspection_no', required: true, maxLength: 40, description: 'Inspection number: the natural key.' },
    { name: 'inspectedOn', kind: 'date', column: 'inspected_on', required: true, description: 'Day of the inspection.' },
    { name: 'type', kind: 'enum', enum: InspectionType, column: 'type', required: true, description: 'Kind of inspection.' },
    {
      name: 'origin', kind: 'enum', enum: InspectionOrigin, column: 'origin', default: InspectionOrigin.PLANNED,
      description: 'PLANNED (on the inspection plan) or TRIGGERED (set off by a complaint, alert, transfer, lead or other: give trigger and triggerReference). Not sent: PLANNED, so an on-site visit of a listed firm is flagged until the source says what set it off.',
    },
    { name: 'trigger', kind: 'enum', enum: InspectionTrigger, column: 'trigger_kind', description: 'For a TRIGGERED inspection: what set it off; null for a PLANNED one.' },
    { name: 'triggerReference', kind: 'text', column: 'trigger_reference', maxLength: 64, description: 'For a TRIGGERED inspection: the number of the complaint, alert, transfer or case that set it off.' },
    {
      name: 'site', kind: 'enum', enum: InspectionSite, column: 'site', default: InspectionSite.ONSITE,
      description: 'ONSITE (a visit, with the eight on-site steps) or OFFSITE (online monitoring, records, remote video: no on-site steps). Not sent: ONSITE.',
    },
    { name: 'leadAgency', kind: 'text', column: 'lead_agency', required: true, maxLength: 100, description: 'Agency that led the inspection.' },
    {
      name: 'jointJurisdictions', kind: 'enumList', enum: Jurisdiction, allowed: DISTRICTS, column: 'joint_jurisdictions',
      description: 'For a JOINT_CROSS_BORDER inspection, the districts taking part (two or more); empty otherwise.',
    },
    {
      name: 'steps', kind: 'objectList', items: STEP, column: 'steps',
      description: 'The on-site steps done so far, in the procedure\'s order, times not decreasing.',
    },
    { name: 'outcome', kind: 'enum', enum: InspectionOutcome, column: 'outcome', required: true, description: 'Outcome.' },
    { name: 'status', kind: 'enum', enum: InspectionStatus, column: 'status', required: true, description: 'IN_PROGRESS until the COMPLETE step.' },
    // Enforcement-sensitive: never in change-log payloads, read in full with the ENFORCEMENT role only.
    {
      name: 'findings', kind: 'text', column: 'findings', maxLength: 5000, personal: true, mask: { rule: 'findings', as: 'withheld' },
      description: 'What the inspectors found; visible with the ENFORCEMENT role only.',
    },
  ],
  computed: [{
    kind: 'computed', name: 'untriggeredOnsiteOfListedFirm', compiler: 'untriggeredOnsite', type: () => Boolean as unknown as ClassType, nullable: false,
    description: 'True for an ONSITE, PLANNED inspection of a firm whose positive-list entry was ACTIVE on the inspection day: the list promises off-site supervision and visits only on a trigger. `flaggedInspections` lists them.',
  }],
  check(v, add) {
    notAfterAsOf(v, add, 'inspectedOn');
    if (v.origin === InspectionOrigin.TRIGGERED) {
      if (!v.trigger) add('trigger', 'is required for a TRIGGERED inspection: COMPLAINT, ALERT, TRANSFER, LEAD or OTHER');
      if (!v.triggerReference) add('triggerReference', 'is required for a TRIGGERED inspection: the number of what set it off');
    } else if (v.origin === InspectionOrigin.PLANNED) {
      if (v.trigger) add('trigger', 'must be empty for a PLANNED inspection (set origin TRIGGERED)');
      if (v.triggerReference) add('triggerReference', 'must be empty for a PLANNED inspection (set origin TRIGGERED)');
    }
    if (v.site === InspectionSite.OFFSITE && Array.isArray(v.steps) && v.steps.length > 0) add('steps', 'must be empty for an OFFSITE inspection: the eight steps are the on-site procedure');
    const joint = v.jointJurisdictions as string[] | undefined;
    if (joint && v.type) {
      if (v.type === InspectionType.JOINT_CROSS_BORDER && joint.length < 2) add('jointJurisdictions', 'must name at least two districts for a JOINT_CROSS_BORDER inspection');
      if (v.type !== InspectionType.JOINT_CROSS_BORDER && joint.length > 0) add('jointJurisdictions', `must be empty for a ${v.type} inspection`);
    }
    const steps = v.steps as Array<{ step: string; at: string }> | undefined;
    if (!steps) return;
    steps.forEach((s, i) => {
      if (s.step !== INSPECTION_STEPS[i]) add(`steps.${i}.step`, `must be ${INSPECTION_STEPS[i]}: the steps are done in order (${INSPECTION_STEPS.join(', ')})`);
      if (i > 0 && s.at < steps[i - 1].at) add(`steps.${i}.at`, `must not be before the previous step's (${steps[i - 1].at}), got ${s.at}`);
      if (typeof v.inspectedOn === 'string' && beijingDay(s.at) < v.inspectedOn) add(`steps.${i}.at`, `must not be before inspectedOn (${v.inspectedOn}), got ${s.at}`);
    });
    const done = steps.some((s) => s.step === InspectionStep.COMPLETE);
    if (v.status === InspectionStatus.IN_PROGRESS && done) add('status', 'must be COMPLETED, as the COMPLETE step is done');
    if (v.status === InspectionStatus.COMPLETED && steps.length > 0 && !done) add('status', `must be IN_PROGRESS until the COMPLETE step is done (${steps.length} of ${INSPECTION_STEPS.length} steps)`);
  },
});
