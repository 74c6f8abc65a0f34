import request from 'supertest';
import { newComplaint, newCreditRecord, newEnterprise, newPenalty, Made } from '../support/factories';
import { startTestHub, TestHub } from '../support/hub';
import { Jurisdiction } from '../../src/domain/jurisdictions';

/*
 * Data objections (数据异议) through HTTP: the whole lifecycle on a Wujiang penalty raised by a
 * Qingpu reader, the flag seen by a Jiashan reader in the same statement as the record, the
 * corrected record written with its change-log entry, the credit feed's entries for a credit
 * record, the bus notifications, and every bad input leaving nothing behind.
 */

let t: TestHub;
let wjSteward: string;
let qpSteward: string;
let qpReader: string;
let jsReader: string;
let wjReaderOnly: string;
let zoneFeed: string;
let enterprise: Made;
const events: Array<Record<string, unknown>> = [];

const O = 'id status outcome fields reason evidence key recordType ownerJurisdiction raisedBy raisedByJurisdiction resolutionReason verifyDueOn history { step actor actorJurisdiction note at }';
const RAISE = `mutation ($t: RecordType!, $k: String!, $f: [String!]!, $r: String!, $e: [String!]) { raiseObjection(recordType: $t, key: $k, fields: $f, reason: $r, evidence: $e) { ${O} } }`;
const ACCEPT = `mutation ($id: ID!, $n: String) { acceptObjection(id: $id, note: $n) { ${O} } }`;
const VERIFY = `mutation ($id: ID!) { verifyObjection(id: $id, note: "checking the decision document") { ${O} } }`;
const RESOLVE = `mutation ($id: ID!, $o: ObjectionOutcome!, $r: String!, $c: JSONObject) { resolveObjection(id: $id, outcome: $o, reason: $r, corrected: $c) { ${O} } }`;
const LIST = `query ($f: ObjectionFilter) { objections(filter: $f) { totalCount edges { node { ${O} } } } }`;
const PENALTY = 'query ($k: String!) { penalty(decisionNo: $k) { decisionNo fineAmount underObjection } }';

beforeAll(async () => {
  t = await startTestHub('empty');
  wjSteward = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'wj-steward' });
  qpSteward = await t.token('QINGPU', ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'qp-steward' });
  qpReader = await t.token('QINGPU', ['DOSSIER_READER'], { sub: 'qp-reader' });
  jsReader = await t.token('JIASHAN', ['DOSSIER_READER'], { sub: 'js-reader' });
  wjReaderOnly = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'wj-reader' });
  zoneFeed = await t.token('ZONE', ['CREDIT_FEED'], { sub: 'zone-feed' });
  enterprise = await newEnterprise(t.db.ds, { jurisdiction: Jurisdiction.WUJIANG });
  t.hub.events.subscribe('eco_hub_objections', (p) => events.push(p));
  await t.hub.events.ready();
});
afterAll(() => t.close());

/** The record as an upsert input again (the factory returns its stored values and ids). */
function asInput(m: Made, o: Record<string, unknown>): Record<string, unknown> {
  const { id, ownerJurisdiction, enterpriseId, ...values } = m;
  void id; void ownerJurisdiction; void enterpriseId;
  return { ...values, ...o };
}

async function count(table: string): Promise<number> {
  const [{ n }] = await t.db.ds.query(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('the lifecycle, on a penalty of Wujiang raised by a Qingpu reader', () => {
  let penalty: Made;
  let id: string;

  beforeAll(async () => {
    penalty = await newPenalty(t.db.ds, enterprise, { fineAmount: '200000.00' });
  });

  it('raise: RAISED, kept with who; the record is not flagged yet and other readers do not see it', async () => {
    const res = await t.gql(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['fineAmount'], r: '罚款金额与决定书不符，应为十五万元。', e: ['测罚决定书扫描件'] }, { token: qpReader });
    expect(res.body.errors).toBeUndefined();
    const o = res.body.data.raiseObjection;
    id = o.id;
    expect(o).toMatchObject({ status: 'RAISED', outcome: null, fields: ['fineAmount'], key: penalty.decisionNo, ownerJurisdiction: 'WUJIANG', raisedBy: 'qp-reader', raisedByJurisdiction: 'QINGPU', evidence: ['测罚决定书扫描件'] });
    expect(o.history.map((s: { step: string }) => s.step)).toEqual(['RAISED']);
    const read = await t.gql(PENALTY, { k: penalty.decisionNo }, { token: jsReader });
    expect(read.body.data.penalty.underObjection).toBe(false);
    const seen = await t.gql(LIST, { f: { key: penalty.decisionNo } }, { token: jsReader });
    expect(seen.body.data.objections.totalCount).toBe(0);
    const mine = await t.gql(LIST, { f: { raisedByMe: true } }, { token: qpReader });
    expect(mine.body.data.objections.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
    const owners = await t.gql(LIST, { f: { toMyDistrict: true, status: 'RAISED' } }, { token: wjSteward });
    expect(owners.body.data.objections.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
  });

  it('accept: FLAGGED, and another district\'s reader sees underObjection and the objection', async () => {
    const res = await t.gql(ACCEPT, { id, n: '已受理' }, { token: wjSteward });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.acceptObjection.status).toBe('FLAGGED');
    expect(res.body.data.acceptObjection.verifyDueOn).toBeNull(); // no deadline configured (objection-rules.json)
    const read = await t.gql(PENALTY, { k: penalty.decisionNo }, { token: jsReader });
    expect(read.body.data.penalty).toMatchObject({ underObjection: true, fineAmount: '200000.00' });
    const list = await t.gql('{ penalties(first: 50) { edges { node { decisionNo underObjection } } } }', {}, { token: jsReader });
    const flagged = list.body.data.penalties.edges.filter((e: { node: { underObjection: boolean } }) => e.node.underObjection).map((e: { node: { decisionNo: string } }) => e.node.decisionNo);
    expect(flagged).toEqual([penalty.decisionNo]);
    const seen = await t.gql(LIST, { f: { recordType: 'PENALTY', key: penalty.decisionNo } }, { token: jsReader });
    expect(seen.body.data.objections.edges[0].node).toMatchObject({ id, status: 'FLAGGED', reason: '罚款金额与决定书不符，应为十五万元。' });
  });

  it('underObjection is computed in the record\'s own statement: asking for it adds no SQL statement', async () => {
    const without = await t.gql('query ($k: String!) { penalty(decisionNo: $k) { decisionNo fineAmount } }', { k: penalty.decisionNo }, { token: jsReader });
    const withFlag = await t.gql(PENALTY, { k: penalty.decisionNo }, { token: jsReader });
    expect(withFlag.statements).toBe(without.statements);
    const listWithout = await t.gql('{ penalties(first: 20) { edges { node { decisionNo } } } }', {}, { token: jsReader });
    const listWith = await t.gql('{ penalties(first: 20) { edges { node { decisionNo underObjection } } } }', {}, { token: jsReader });
    expect(listWith.statements).toBe(listWithout.statements);
  });

  it('verify, then resolve as CORRECTED: the corrected record is written with its change-log entry, the flag lifted, every step kept', async () => {
    expect((await t.gql(VERIFY, { id }, { token: wjSteward })).body.data.verifyObjection.status).toBe('VERIFYING');
    const logBefore = await count('change_log');
    const corrected = asInput(penalty, { fineAmount: '150000.00', asOf: '2026-07-01T10:00:00+08:00' });
    const res = await t.gql(RESOLVE, { id, o: 'CORRECTED', r: '经核实，决定书金额为十五万元，已更正。', c: corrected }, { token: wjSteward });
    expect(res.body.errors).toBeUndefined();
    const o = res.body.data.resolveObjection;
    expect(o).toMatchObject({ status: 'ARCHIVED', outcome: 'CORRECTED', resolutionReason: '经核实，决定书金额为十五万元，已更正。' });
    expect(o.history.map((s: { step: string }) => s.step)).toEqual(['RAISED', 'ACCEPTED', 'FLAGGED', 'VERIFYING', 'CORRECTED', 'FLAG_REMOVED', 'ARCHIVED']);
    expect(o.history.map((s: { actor: string }) => s.actor)).toEqual(['qp-reader', 'wj-steward', 'wj-steward', 'wj-steward', 'wj-steward', 'wj-steward', 'wj-steward']);
    expect(o.history.every((s: { at: string }) => !Number.isNaN(Date.parse(s.at)))).toBe(true);
    const read = await t.gql(PENALTY, { k: penalty.decisionNo }, { token: jsReader });
    expect(read.body.data.penalty).toEqual({ decisionNo: penalty.decisionNo, fineAmount: '150000.00', underObjection: false });
    const log = await t.db.ds.query(`SELECT op, actor, payload->>'fineAmount' AS fine FROM change_log WHERE record_key = $1 ORDER BY seq DESC LIMIT 1`, [penalty.decisionNo]);
    expect(log).toEqual([{ op: 'UPDATED', actor: 'wj-steward', fine: '150000.00' }]);
    expect(await count('change_log')).toBe(logBefore + 1); // a penalty has no feed entries of its own
  });

  it('the history is append-only in the database too', async () => {
    await expect(t.db.ds.query(`UPDATE data_objection_step SET actor = 'someone' WHERE objection_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(t.db.ds.query(`DELETE FROM data_objection_step WHERE objection_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('every state change was published on eco_hub_objections, with a small payload', async () => {
    await until(() => events.filter((e) => e.id === id).length >= 4);
    const mine = events.filter((e) => e.id === id);
    expect(mine.map((e) => e.status)).toEqual(['RAISED', 'FLAGGED', 'VERIFYING', 'ARCHIVED']);
    expect(mine[3]).toEqual({ id, recordType: 'PENALTY', key: penalty.decisionNo, ownerJurisdiction: 'WUJIANG', status: 'ARCHIVED', outcome: 'CORRECTED' });
  });
});

describe('a credit record under objection says so in the credit feed', () => {
  it('OBJECTION_FLAGGED on accept, OBJECTION_CLEARED on resolve, each with the objection and the record', async () => {
    const credit = await newCreditRecord(t.db.ds, enterprise);
    const raised = await t.gql(RAISE, { t: 'CREDIT_RECORD', k: credit.recordNo, f: ['level'], r: '评价等级有误。' }, { token: wjReaderOnly });
    expect(raised.body.errors).toBeUndefined();
    const id = raised.body.data.raiseObjection.id;
    expect((await t.gql(ACCEPT, { id }, { token: wjSteward })).body.data.acceptObjection.status).toBe('FLAGGED');
    const rejected = await t.gql(RESOLVE, { id, o: 'REJECTED', r: '评价结果经复核无误。' }, { token: wjSteward });
    expect(rejected.body.data.resolveObjection.history.map((s: { step: string }) => s.step)).toEqual(['RAISED', 'ACCEPTED', 'FLAGGED', 'REJECTED', 'FLAG_REMOVED', 'ARCHIVED']);
    const feed = await t.gql('{ creditFeed(first: 1000) { entries { op recordNo jurisdiction objection { id fields outcome } evaluation { level } } } }', {}, { token: zoneFeed });
    const mine = feed.body.data.creditFeed.entries.filter((e: { recordNo: string }) => e.recordNo === credit.recordNo);
    expect(mine.map((e: { op: string }) => e.op)).toEqual(['EVALUATED', 'OBJECTION_FLAGGED', 'OBJECTION_CLEARED']);
    expect(mine[1]).toMatchObject({ jurisdiction: 'WUJIANG', objection: { id, fields: ['level'], outcome: null }, evaluation: { level: 'GREEN' } });
    expect(mine[2].objection).toEqual({ id, fields: ['level'], outcome: 'REJECTED' });
    expect(mine[0].objection).toBeNull();
    // The NDJSON stream carries the same entries, the objection object only on the objection ones.
    const stream = await request(t.hub.app).get('/feeds/credit.ndjson').set('authorization', `Bearer ${zoneFeed}`);
    const lines = stream.text.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.recordNo === credit.recordNo);
    expect(lines.map((l) => [l.op, l.objection?.outcome ?? ('objection' in l ? null : 'absent')])).toEqual([['EVALUATED', 'absent'], ['OBJECTION_FLAGGED', null], ['OBJECTION_CLEARED', 'REJECTED']]);
  });
});

describe('bad input: a typed error naming the field or rule, and nothing changed', () => {
  let penalty: Made;
  let open: string; // a FLAGGED objection on penalty.facts

  beforeAll(async () => {
    penalty = await newPenalty(t.db.ds, enterprise);
    const raised = await t.gql(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['facts'], r: '违法事实表述有误。' }, { token: qpReader });
    open = raised.body.data.raiseObjection.id;
    await t.gql(ACCEPT, { id: open }, { token: wjSteward });
  });

  /** Runs a request and checks it failed with `code` and `extensions` and left objections, steps and the change log as they were. */
  async function refused(query: string, variables: Record<string, unknown>, token: string | undefined, code: string, extensions: Record<string, unknown>) {
    const before = [await count('data_objection'), await count('data_objection_step'), await count('change_log')];
    const res = await t.gql(query, variables, { token });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code, ...extensions });
    expect([await count('data_objection'), await count('data_objection_step'), await count('change_log')]).toEqual(before);
    return res.body.errors[0];
  }

  it('raise: a record type that is not a dossier type, an unknown key, an unknown field, an empty reason', async () => {
    await refused(RAISE, { t: 'MONITORING', k: 'x', f: ['a'], r: 'r' }, qpReader, 'BAD_USER_INPUT', { field: 'recordType' });
    await refused(RAISE, { t: 'PENALTY', k: 'no-such-decision', f: ['facts'], r: 'r' }, qpReader, 'BAD_USER_INPUT', { field: 'key' });
    const e = await refused(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['fineAmount', 'colour'], r: 'r' }, qpReader, 'BAD_USER_INPUT', { field: 'fields', unknownFields: ['colour'] });
    expect(e.message).toMatch(/"colour"/);
    await refused(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['fineAmount'], r: '   ' }, qpReader, 'BAD_USER_INPUT', { field: 'reason' });
    await refused(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: [], r: 'r' }, qpReader, 'BAD_USER_INPUT', { field: 'fields' });
  });

  it('raise: a second open objection on the same record and field is CONFLICT; another field is fine', async () => {
    await refused(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['facts', 'content'], r: '同一事项。' }, jsReader, 'CONFLICT', { field: 'fields', rule: 'objection.oneOpenPerField', objectionId: open, fields: ['facts'] });
    const other = await t.gql(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['content'], r: '处罚内容有误。' }, { token: jsReader });
    expect(other.body.data.raiseObjection.status).toBe('RAISED');
  });

  it('raise: objecting to a record one cannot read is FORBIDDEN, by the read policy\'s own rule; the public cannot raise', async () => {
    const complaint = await newComplaint(t.db.ds, enterprise);
    const e = await refused(RAISE, { t: 'COMPLAINT', k: complaint.ticketNo, f: ['content'], r: 'r' }, qpReader, 'FORBIDDEN', {});
    // The read policy's own refusal (here: the reader's agency holds a framework grant, but not the grant's role).
    expect(e.extensions.rule).toBe('objection.readersOnly:sharing.grant.role');
    await refused(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['fineAmount'], r: 'r' }, undefined, 'FORBIDDEN', { rule: 'objection.identifiedOnly' });
  });

  it('accept and resolve: only the owner district\'s data steward, only in the right state', async () => {
    const raised = await t.gql(RAISE, { t: 'PENALTY', k: penalty.decisionNo, f: ['violationType'], r: '违法类型有误。' }, { token: qpReader });
    const fresh = raised.body.data.raiseObjection.id;
    await refused(ACCEPT, { id: fresh }, qpSteward, 'FORBIDDEN', { rule: 'objection.ownerDistrictOnly' });
    await refused(ACCEPT, { id: fresh }, wjReaderOnly, 'FORBIDDEN', { rule: 'objection.stewardOnly' });
    await refused(RESOLVE, { id: fresh, o: 'REJECTED', r: 'r' }, wjSteward, 'CONFLICT', { rule: 'objection.state', status: 'RAISED' });
    await refused(ACCEPT, { id: open }, wjSteward, 'CONFLICT', { rule: 'objection.state', status: 'FLAGGED' });
    await refused(RESOLVE, { id: open, o: 'REJECTED', r: 'r' }, qpSteward, 'FORBIDDEN', { rule: 'objection.ownerDistrictOnly' });
    await refused(ACCEPT, { id: '00000000-0000-4000-8000-000000000000' }, wjSteward, 'NOT_FOUND', { field: 'id' });
    await refused(ACCEPT, { id: 'not-an-id' }, wjSteward, 'BAD_USER_INPUT', { field: 'id' });
  });

  it('resolve: reasons required, a correction only with CORRECTED, for the same record, that changes it, and that the writer accepts', async () => {
    await refused(RESOLVE, { id: open, o: 'REJECTED', r: '' }, wjSteward, 'BAD_USER_INPUT', { field: 'reason' });
    await refused(RESOLVE, { id: open, o: 'CORRECTED', r: 'r' }, wjSteward, 'BAD_USER_INPUT', { field: 'corrected' });
    await refused(RESOLVE, { id: open, o: 'REJECTED', r: 'r', c: asInput(penalty, {}) }, wjSteward, 'BAD_USER_INPUT', { field: 'corrected' });
    await refused(RESOLVE, { id: open, o: 'CORRECTED', r: 'r', c: asInput(penalty, { decisionNo: 'another' }) }, wjSteward, 'BAD_USER_INPUT', { field: 'corrected.decisionNo' });
    await refused(RESOLVE, { id: open, o: 'CORRECTED', r: 'r', c: asInput(penalty, {}) }, wjSteward, 'BAD_USER_INPUT', { field: 'corrected' });
    const e = await refused(RESOLVE, { id: open, o: 'CORRECTED', r: 'r', c: asInput(penalty, { fineAmount: 'lots', asOf: '2026-07-01T10:00:00+08:00' }) }, wjSteward, 'BAD_USER_INPUT', {});
    expect(e.extensions.problems.map((p: { field: string }) => p.field)).toEqual(['corrected.fineAmount']);
    const still = await t.gql(LIST, { f: { key: penalty.decisionNo, status: 'FLAGGED' } }, { token: wjSteward });
    expect(still.body.data.objections.edges.map((x: { node: { id: string } }) => x.node.id)).toEqual([open]);
    expect((await t.gql(PENALTY, { k: penalty.decisionNo }, { token: jsReader })).body.data.penalty.underObjection).toBe(true);
  });
});
