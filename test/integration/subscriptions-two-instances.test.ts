import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { createDb, Db } from '../../src/db/datasource';
import { createLogger } from '../../src/logger';
import { createHub, Hub } from '../../src/server';
import { mintToken, Role } from '../../src/auth/principal';
import request from 'supertest';
import { newEnterprise } from '../support/factories';
import { testConfig } from '../support/hub';
import { eventually, listen, subscribe, Live } from '../support/live';
import { cloneDatabase } from '../support/templates';

/**
 * Two hub instances on one PostgreSQL database (issue 12 item 4): a subscriber connected to
 * instance A hears a write made through instance B's API. Each instance has its own connection
 * pool and its own LISTEN connection, so the only way an event crosses is PostgreSQL NOTIFY.
 *
 * On the embedded database only one process may open the data folder (src/db/data-lock.ts), so
 * there is no second instance to write through: the test is skipped there, with a message. Run it
 * with DATABASE_URL=postgres://…/hub_<name> npm test -- test/integration/subscriptions-two-instances.test.ts.
 */
const onPostgres = !!process.env.DATABASE_URL;
if (!onPostgres) {
  process.stdout.write('subscriptions-two-instances: skipped on PGlite (one process per data folder); set DATABASE_URL to run it on PostgreSQL\n');
}
const describePg = onPostgres ? describe : describe.skip;

const WRITES = 20;

describePg('recordChanged across two instances on one PostgreSQL database', () => {
  let dbA: Db;
  let dbB: Db;
  let a: Hub;
  let b: Hub;
  let urlA: string;
  const config = testConfig();
  const token = (j: Jurisdiction, roles: Role[], sub: string) =>
    mintToken({ secret: config.jwtSecret, maxLifetimeSeconds: config.jwtMaxLifetimeSeconds }, { sub, org: `${j}-EEB`, jurisdiction: j, roles }, '1h');

  beforeAll(async () => {
    dbA = await cloneDatabase('empty');
    const url = (dbA.ds.options as { url?: string }).url!;
    dbB = await createDb({ databaseUrl: url, poolSize: 2 });
    a = await createHub(config, dbA.ds, createLogger(config));
    b = await createHub(config, dbB.ds, createLogger(config));
    urlA = await listen(a.httpServer);
    await Promise.all([a.events.ready(), b.events.ready()]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await dbB?.close();
    await dbA?.close();
  });

  test(`${WRITES} penalties written through instance B reach a subscriber on instance A, in commit order, audited on A; a reader without the right hears only what it may read`, async () => {
    const firm = await newEnterprise(dbB.ds, { jurisdiction: Jurisdiction.WUJIANG });
    const listening = async (live: Promise<Live>, before: number) => {
      const l = await live;
      await eventually(() => a.subscriptions.listening() > before, 'the subscription listening on A');
      await a.events.ready();
      return l;
    };
    const reader = await listening(subscribe(urlA, await token(Jurisdiction.WUJIANG, [Role.DOSSIER_READER], 'two-instance-reader'),
      'subscription Two { recordChanged(filter: { recordType: PENALTY }) { seq key op ownerJurisdiction record { ... on Penalty { decisionNo } } } }'), 0);
    // Qingpu without the ENFORCEMENT purpose may read Wujiang's penalties (unconditional) but not its complaints.
    const outsider = await listening(subscribe(urlA, await token(Jurisdiction.QINGPU, [Role.DOSSIER_READER], 'two-instance-outsider'),
      'subscription Outside { recordChanged(filter: { jurisdiction: WUJIANG }) { recordType key } }'), 1);

    const steward = await token(Jurisdiction.WUJIANG, [Role.DATA_STEWARD], 'two-instance-steward');
    const written: string[] = [];
    const sentAt = new Map<string, number>();
    for (let i = 1; i <= WRITES; i++) {
      const decisionNo = `吴环罚〔2026〕${7000 + i}号`;
      sentAt.set(decisionNo, Date.now());
      const res = await request(b.app).post('/graphql').set('authorization', `Bearer ${steward}`).send({
        query: 'mutation($i: PenaltyInput!) { upsertPenalty(input: $i) { status key } }',
        variables: {
          i: {
            decisionNo, uscc: firm.uscc, violationType: '超标排放水污染物', facts: '外排废水化学需氧量超标。', legalBasis: '《中华人民共和国水污染防治法》第八十三条',
            categories: ['FINE'], content: '罚款人民币二十万元', fineAmount: '200000', decisionDate: '2026-03-01', authorityName: '苏州市吴江生态环境局',
            authorityUscc: withCheckCharacter('11320509MB1234567'), publicityUntil: '2027-03-01', status: 'DECIDED',
            sourceSystem: 'TEST', sourceRecordId: `two-${i}`, asOf: '2026-06-01T00:00:00Z',
          },
        },
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.upsertPenalty.status).toBe('INSERTED');
      written.push(decisionNo);
    }
    // A complaint written on B: the reader's filter leaves it out, the outsider may not read it.
    const complaintRes = await request(b.app).post('/graphql').set('authorization', `Bearer ${steward}`).send({
      query: 'mutation($i: ComplaintInput!) { upsertComplaint(input: $i) { status key } }',
      variables: {
        i: {
          ticketNo: 'XF2026TWO0001', uscc: firm.uscc, receivedAt: '2026-05-01T08:00:00Z', channel: 'HOTLINE_12369', element: 'AIR', content: '夜间有刺鼻气味。',
          handlingJurisdiction: 'WUJIANG', status: 'REPLIED', reply: '已核查处理。', closedAt: null,
          complainantName: '李四', complainantPhone: '13812345678', complainantIdNumber: '310101199001011234',
          sourceSystem: 'TEST', sourceRecordId: 'two-complaint', asOf: '2026-06-01T00:00:00Z',
        },
      },
    });
    expect(complaintRes.body.errors).toBeUndefined();
    const last = await newEnterprise(dbB.ds, { jurisdiction: Jurisdiction.WUJIANG }); // a marker both may read

    const events = await reader.until(WRITES);
    const heard = events.map((e) => e.data.recordChanged);
    expect(heard.map((e) => e.key)).toEqual(written);
    expect(heard.every((e) => e.op === 'INSERTED' && e.ownerJurisdiction === 'WUJIANG')).toBe(true);
    expect(heard.map((e) => e.record.decisionNo)).toEqual(written);
    const seqs = heard.map((e) => BigInt(e.seq));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);

    // The outsider: the enterprise record first written, the 20 penalties and the marker enterprise, never the complaint.
    const outside = await outsider.until(WRITES + 1);
    await eventually(() => outsider.events.some((e) => e.data.recordChanged.key === last.uscc), 'the marker reaching the outsider');
    const outsideKeys = outsider.events.map((e) => e.data.recordChanged);
    expect(outsideKeys.filter((e) => e.recordType === 'COMPLAINT')).toEqual([]);
    expect(outsideKeys.filter((e) => e.recordType === 'PENALTY').map((e) => e.key)).toEqual(written);
    void outside;

    // Audited on A's database (the same database): one row per event the reader received, with its key.
    const rows: Array<{ n: number; keys: string[] }> = await dbA.ds.query(
      "SELECT count(*)::int AS n, array_agg(k ORDER BY k) AS keys FROM audit_event, unnest(record_keys) k WHERE sub = 'two-instance-reader'");
    expect(rows[0].n).toBe(WRITES);
    expect([...rows[0].keys].sort()).toEqual([...written].sort());
    const complaintAudit = await dbA.ds.query("SELECT count(*)::int AS n FROM audit_event WHERE sub = 'two-instance-outsider' AND resource_type = 'COMPLAINT'");
    expect(complaintAudit[0].n).toBe(0);

    // The figures (reported, not asserted: they depend on the machine).
    // From B receiving the mutation to A's subscriber receiving the event: commit, NOTIFY, A's policy decision, re-read and audit.
    const ms = heard.map((e, i) => reader.times[i] - sentAt.get(e.key)!).sort((x, y) => x - y);
    process.stdout.write(`two-instance figures: ${WRITES} penalty writes through B's API, ${heard.length} events heard on A in seq order `
      + `(seq ${seqs[0]}..${seqs[seqs.length - 1]}), mutation-to-event ms median ${ms[Math.floor(ms.length / 2)]} max ${ms[ms.length - 1]}; `
      + `outsider (QINGPU, no purpose) heard ${outsider.events.length} events, ${outsideKeys.filter((e) => e.recordType === 'COMPLAINT').length} complaints; `
      + `audit rows on A for the reader: ${rows[0].n}\n`);
    await reader.close();
    await outsider.close();
  });
});
