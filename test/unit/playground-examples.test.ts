import { Kind, OperationDefinitionNode, parse, validate } from 'graphql';
import { hubSchema } from '../../src/graphql/schema';
import { playgroundExamples } from '../../src/playground/examples';

/**
 * The playground's examples are valid operations of the current schema, one named operation each;
 * a workflow tab holds its steps, in order, as named operations.
 */
const WORKFLOWS: Record<string, string[]> = {
  Webhooks: ['RegisterWebhook', 'MyWebhooks', 'WebhookDeliveries'],
  SharingApplication: ['MyAccess', 'ApplyForSharing', 'ApproveSharingApplication', 'MyApplications', 'QingpuInspections', 'RevokeSharingApplication'],
};

describe('playground examples', () => {
  const examples = playgroundExamples(null);

  test('one tab per module, in a fixed order', () => {
    expect(examples.map((e) => e.name)).toEqual(['Enterprises', 'Dossier', 'WujiangPenalties', 'CatalogSearch', 'AssessWater', 'ComputeAqi', 'ComputeDiscretion', 'EvaluateMinorViolation', 'StatutoryDeadlines', 'EnforcementCases', 'PositiveList', 'MonitoringStations', 'RiskSources', 'Alerts', 'ComplianceReminders', 'Objections', 'SharingApplication', 'Me', 'RecordChanges', 'AlertRaised', 'ReminderRaised', 'Webhooks']);
  });

  test.each(examples.map((e) => [e.name, e] as const))('%s validates against the hub schema', async (name, example) => {
    const doc = parse(example.query);
    expect(validate(await hubSchema(), doc).map((e) => e.message)).toEqual([]);
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(ops.map((o) => o.name?.value)).toEqual(WORKFLOWS[name] ?? [name]);
  });
});
