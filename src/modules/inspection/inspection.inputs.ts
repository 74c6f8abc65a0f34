import { Field, InputType } from 'type-graphql';
import { RecordType } from '../../auth/policy';
import { INSPECTION_STEPS, InspectionOutcome, InspectionStatus, InspectionStep, InspectionType } from '../../domain/codes';
import { DISTRICTS, Jurisdiction } from '../../domain/jurisdictions';
import { FieldDef, InputProblem, recordInputType } from '../dossier/record-fields';
import { beijingDay, checkRecordInput, ENTERPRISE_REF_FIELD, notAfterAsOf, SOURCE_FIELDS, WriteSpec } from '../dossier/record-writer';

@InputType({ description: 'One on-site step done, with its time. Strings, checked by the hub like every input field.' })
export class InspectionStepInput {
  @Field(() => String, { nullable: true, description: `Required. One of ${INSPECTION_STEPS.join(', ')}.` })
  step: string;

  @Field(() => String, { nullable: true, description: 'Required. When the step was done (ISO 8601 with offset).' })
  at: string;
}

export const INSPECTION_FIELDS: readonly FieldDef[] = [
  { name: 'inspectionNo', kind: 'text', column: 'inspection_no', required: true, maxLength: 40, description: 'Inspection number: the natural key.' },
  ENTERPRISE_REF_FIELD,
  { name: 'inspectedOn', kind: 'date', column: 'inspected_on', required: true, description: 'Day of the inspection.' },
  { name: 'type', kind: 'enum', enum: InspectionType, column: 'type', required: true, description: 'Kind of inspection.' },
  { name: 'leadAgency', kind: 'text', column: 'lead_agency', required: true, maxLength: 100, description: 'Agency that led the inspection.' },
  {
    name: 'jointJurisdictions', kind: 'enumList', enum: Jurisdiction, allowed: DISTRICTS, column: 'joint_jurisdictions',
    description: 'For a JOINT_CROSS_BORDER inspection, the districts taking part (two or more); empty otherwise.',
  },
  {
    name: 'steps', kind: 'steps', enum: InspectionStep, column: 'steps', itemType: () => InspectionStepInput,
    description: 'The on-site steps done so far, in the procedure\'s order, times not decreasing.',
  },
  { name: 'outcome', kind: 'enum', enum: InspectionOutcome, column: 'outcome', required: true, description: 'Outcome.' },
  { name: 'status', kind: 'enum', enum: InspectionStatus, column: 'status', required: true, description: 'IN_PROGRESS until the COMPLETE step.' },
  { name: 'findings', kind: 'text', column: 'findings', maxLength: 5000, personal: true, description: 'What the inspectors found (visible with the ENFORCEMENT role only).' },
  ...SOURCE_FIELDS,
];

/** How an inspection is written: natural key, fields, the rules across them, where its owner comes from. */
export const INSPECTION_WRITE: WriteSpec = {
  name: 'inspection',
  recordType: RecordType.INSPECTION,
  typeName: 'Inspection',
  inputName: 'InspectionInput',
  table: 'inspection',
  key: 'inspectionNo',
  fields: INSPECTION_FIELDS,
  owner: 'enterprise',
  check(v, add) {
    notAfterAsOf(v, add, 'inspectedOn');
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
};

/** The GraphQL input of upsert mutations for an inspection, built from its fields. */
export const InspectionInput = recordInputType('InspectionInput', 'An enforcement inspection (执法检查) as the inspecting jurisdiction sends it, keyed by inspection number.', INSPECTION_FIELDS);

/** Every problem of an inspection input that can be found without the database, each under `path`. */
export function validateInspectionInput(input: unknown, path = 'input'): InputProblem[] {
  return checkRecordInput(INSPECTION_WRITE, input, path).problems;
}
