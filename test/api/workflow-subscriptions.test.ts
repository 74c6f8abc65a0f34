import { DISTRICTS } from '../../src/domain/jurisdictions';
import { addDays } from '../../src/domain/calendar/days';
import { dossierPerDistrict } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';
import { eventually, Live, listen, subscribe } from '../support/live';

/**
 * `sharingApplicationChanged` and `objectionChanged` (issue 12, item 4): a party to an application,
 * or a reader who may see an objection, hears each change of state; anyone else hears nothing —
 * each event is re-read with the subscriber's rights, as the `sharingApplication` and `objections`
 * queries read it.
 */
let t: TestHub;
let url: string;
let data: Awaited<ReturnType<typeof dossierPerDistrict>>;
const open: Live[] = [];
// A fixed working day for the hub's clock: the application's deadline is counted on the official calendar.
const NOW = new Date('2026-11-02T02:00:00Z');
const today = '2026-11-02';

beforeAll(async () => {
  t = await startTestHub('empty', {}, { clock: () => NOW });
  url = await listen(t.hub.httpServer);
  await t.hub.events.ready();
  data = await dossierPerDistrict(t.db.ds, [...DISTRICTS]);
});
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
  await eventually(() => t.hub.subscriptions.listening() === 0, 'every subscription of the test ended');
});
afterAll(() => t.close());

async function sub(token: string, query: string): Promise<Live> {
  const before = t.hub.subscriptions.listening();
  const live = await subscribe(url, token, query);
  open.push(live);
  await eventually(() => t.hub.subscriptions.listening() > before, 'the subscription listening');
  await t.hub.events.ready();
  return live;
}

const APPLICATIONS = 'subscription { sharingApplicationChanged { id status applicantOrg providerJurisdiction } }';
const APPLY = 'mutation($i: ApplyForSharingInput!) { applyForSharing(input: $i) { id status } }';

function application(over: Record<string, unknown> = {}) {
  return {
    resourceCode: '211014/0001', items: ['inspectionNo', 'uscc', 'inspectedOn', 'outcome'], districts: ['QINGPU'], purpose: 'ENFORCEMENT',
    scenario: '跨界联合执法 joint inspection', legalBasis: '《环境保护法》第二十四条', contact: '0512-63000000',
    commitment: '仅用于本机关执法职责。', validFrom: today, validTo: addDays(today, 30), ...over,
  };
}

describe('sharingApplicationChanged', () => {
  test('the applicant and the provider hear the application move; a third district\'s agency hears only its own', async () => {
    const applicant = await t.token('WUJIANG', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'WUJIANG-JET', sub: 'jet-officer' });
    const provider = await t.token('QINGPU', ['DATA_STEWARD'], { sub: 'qp-steward' });
    const outsider = await t.token('JIASHAN', ['DOSSIER_READER', 'ENFORCEMENT'], { org: 'JIASHAN-JET', sub: 'js-officer' });
    const [mine, theirs, other] = [await sub(applicant, APPLICATIONS), await sub(provider, APPLICATIONS), await sub(outsider, APPLICATIONS)];

    const applied = await t.gql(APPLY, { i: application() }, { token: applicant });
    expect(applied.body.errors).toBeUndefined();
    const id = applied.body.data.applyForSharing.id;
    const approved = await t.gql('mutation($id: ID!) { approveSharingApplication(id: $id) { status } }', { id }, { token: provider });
    expect(approved.body.data.approveSharingApplication.status).toBe('ACTIVE');

    for (const live of [mine, theirs]) {
      const [first] = await live.until(1);
      expect(first.data.sharingApplicationChanged).toEqual({ id, status: 'SUBMITTED', applicantOrg: 'WUJIANG-JET', providerJurisdiction: 'QINGPU' });
      // Approval is two steps (APPROVED, then ACTIVE on its first day); each event is the application as it reads when sent.
      await eventually(() => live.events.some((e) => e.data?.sharingApplicationChanged.status === 'ACTIVE'), 'the approval heard');
      expect(live.events.every((e) => e.data?.sharingApplicationChanged.id === id)).toBe(true);
    }
    // The Jiashan agency's own application is the first event it hears: the Wujiang one never reached it.
    const own = await t.gql(APPLY, { i: application() }, { token: outsider });
    const [heard] = await other.until(1);
    expect(heard.data.sharingApplicationChanged).toMatchObject({ id: own.body.data.applyForSharing.id, applicantOrg: 'JIASHAN-JET', status: 'SUBMITTED' });
    expect(other.events.map((e) => e.data?.sharingApplicationChanged.id)).not.toContain(id);
  });
});

describe('objectionChanged', () => {
  const OBJECTIONS = 'subscription { objectionChanged { id status recordType key } }';

  test('the owner\'s steward hears a raised objection; another district\'s reader hears of it once it is accepted and the record flagged', async () => {
    const raiser = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'qp-reader' });
    const steward = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'wj-steward' });
    const reader = await t.token('JIASHAN', ['DOSSIER_READER'], { sub: 'js-reader' });
    const [owner, other] = [await sub(steward, OBJECTIONS), await sub(reader, OBJECTIONS)];
    const key = data.WUJIANG.penalty.decisionNo;

    const raised = await t.gql('mutation($k: String!) { raiseObjection(recordType: PENALTY, key: $k, fields: ["fineAmount"], reason: "罚款金额与决定书不符") { id status } }', { k: key }, { token: raiser });
    expect(raised.body.errors).toBeUndefined();
    const id = raised.body.data.raiseObjection.id;
    const [first] = await owner.until(1);
    expect(first.data.objectionChanged).toEqual({ id, status: 'RAISED', recordType: 'PENALTY', key });

    const accepted = await t.gql('mutation($id: ID!) { acceptObjection(id: $id, note: "已受理") { status } }', { id }, { token: steward });
    expect(accepted.body.data.acceptObjection.status).toBe('FLAGGED');
    await owner.until(2);
    expect(owner.events[1].data.objectionChanged).toEqual({ id, status: 'FLAGGED', recordType: 'PENALTY', key });
    // The Jiashan reader did not hear the objection while it was only raised; its first event is the flag.
    const [flag] = await other.until(1);
    expect(flag.data.objectionChanged).toEqual({ id, status: 'FLAGGED', recordType: 'PENALTY', key });
  });
});
