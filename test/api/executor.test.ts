import request from 'supertest';
import type { Hub } from '../../src/server';
import { ShapedAnswers } from '../../src/graphql/preshaped';
import { ShapedJson } from '../../src/graphql/shaped-json';
import { PreparedQueries } from '../../src/db/prepared';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The compiled executor (graphql-jit, the default) answers every kind of read exactly as graphql-js
 * does: the same data, errors, codes, paths and policy extensions, for the same documents.
 */
let t: TestHub;
let other: TestHub;
let zone: string;
let wujiang: string;
let platform: string;
beforeAll(async () => {
  // Two clones of the same template: the same data under each executor.
  t = await startTestHub('demo');
  other = await startTestHub('demo', { HUB_EXECUTOR: 'graphql-js' });
  zone = await t.token('ZONE', ['DOSSIER_READER', 'ENFORCEMENT']);
  wujiang = await t.token('WUJIANG', ['DOSSIER_READER']);
  platform = await t.token('CREDIT_YRD', ['CREDIT_FEED']);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

async function both(query: string, variables: Record<string, unknown>, token?: string, operationName?: string) {
  const ask = async (hub: Hub) => {
    let req = request(hub.app).post('/graphql').set('content-type', 'application/json');
    if (token) req = req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables, operationName });
    return { status: res.status, body: res.body };
  };
  return { jit: await ask(t.hub), js: await ask(other.hub) };
}

// Every row has five entries: jest takes a test function with more parameters than the row as one that calls done().
const CASES: Array<[string, string, Record<string, unknown>, 'zone' | 'wujiang' | 'public' | 'platform', string | undefined]> = [
  ['fragments, aliases, @skip/@include and nested pages', `query($n: Int, $skip: Boolean!) {
      enterprises(first: $n) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { ...E a: penalties(first: 1) { edges { node { decisionNo } } } b: penalties(first: 3) { totalCount edges { node { decisionNo @skip(if: $skip) fineAmount } } }
          creditStatus { level blacklisted listing { decisionNo } } legalRepresentative { name idNumber } } } } }
      fragment E on Enterprise { uscc name jurisdiction ... on Enterprise { industryCode } __typename }`, { n: 25, skip: true }, 'zone', undefined],
  ['masks and withheld values for another district', `{ enterprises(first: 30, filter: { jurisdiction: QINGPU }) { edges { node { uscc legalRepresentative { idNumber } creditStatus { level }
      complaints { totalCount edges { node { complainant { name phone } } } } inspections { edges { node { findings } } } } } } }`, {}, 'wujiang', undefined],
  ['a hidden record by key and an unknown one', `query($k: String!) { complaint(ticketNo: $k) { ticketNo } penalty(decisionNo: "NO-SUCH") { decisionNo } me { jurisdiction } }`, { k: '' }, 'wujiang', undefined],
  ['a bad nested argument', `{ enterprises(first: 2) { edges { node { penalties(first: 501) { totalCount } } } } }`, {}, 'zone', undefined],
  ['a bad variable', `query($u: USCC!) { enterprise(uscc: $u) { name } }`, { u: '91350100M000100Y4Z' }, 'zone', undefined],
  ['the public', `{ penalties(first: 5) { totalCount edges { node { decisionNo enterprise { name } } } } enterprises { totalCount } }`, {}, 'public', undefined],
  // A count computed on demand (keysetPage leaves a promise under totalCount): awaited, whichever executor.
  ['a list counted lazily', `{ complianceReminders(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { kind dueOn } } } }`, {}, 'zone', undefined],
  ['an operation chosen by name', `query A { me { sub } } query B { me { jurisdiction } }`, {}, 'zone', 'B'],
  // The credit feed's page is pre-shaped (src/graphql/preshaped.ts) under the compiler; graphql-js executes it field by field.
  ['the credit feed, pre-shaped: every field, aliases, fragments, @skip/@include, __typename', `query($after: String, $skip: Boolean!) {
      page: creditFeed(first: 40, after: $after) { __typename hasMore endCursor
        entries { ...F c2: cursor legalRepresentative { idNumber name __typename } at withdrawnAt withdrawalReason provinceCode kind
          listing { __typename reason legalBasis decisionNo authority authorityUscc listedAt validUntil removedOn removalReason d: decisionNo }
          evaluation { scheme level levelName year issuer issuerUscc } objection { id fields outcome } op @skip(if: $skip) recordNo @include(if: $skip) }
        again: entries { ... on CreditFeedEntry { recordNo uscc } } } }
      fragment F on CreditFeedEntry { cursor op uscc enterpriseName jurisdiction recordNo }`, { after: null, skip: true }, 'platform', undefined],
  ['the credit feed with a filter, the last page', `query { creditFeed(first: 1000, filter: { provinces: ["JIANGSU"], kinds: ["LISTING"] }) { entries { recordNo listing { validUntil } } hasMore endCursor } }`, {}, 'platform', undefined],
  ['the credit feed, refused and bad input', `query { a: creditFeed(first: 5) { hasMore } }`, {}, 'wujiang', undefined],
  ['the credit feed, a bad cursor', `query { creditFeed(first: 5, after: "nope") { hasMore entries { op } } }`, {}, 'platform', undefined],
  ['the credit feed, an empty page', `query { creditFeed(first: 0) { hasMore endCursor entries { op } } }`, {}, 'platform', undefined],
];

test.each(CASES)('%s', async (_name, query, variables, who, operationName) => {
  if ('k' in variables) {
    const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'JIASHAN' ORDER BY ticket_no LIMIT 1`);
    variables = { k: row.ticket_no };
  }
  const token = who === 'zone' ? zone : who === 'wujiang' ? wujiang : who === 'platform' ? platform : undefined;
  const { jit, js } = await both(query, variables, token, operationName);
  expect(jit).toEqual(js);
  expect(JSON.stringify(jit.body)).not.toContain('INTERNAL_SERVER_ERROR');
});

test('the whole credit feed: every page pre-shaped equals the page executed field by field by graphql-js', async () => {
  const shaped = jest.spyOn(t.hub.services.feed, 'pageShaped');
  const query = `query($after: String) { creditFeed(first: 150, after: $after) { endCursor hasMore
    entries { cursor op kind uscc enterpriseName legalRepresentative { name idNumber } jurisdiction provinceCode recordNo withdrawnAt withdrawalReason at
      listing { reason legalBasis decisionNo authority authorityUscc listedAt validUntil removedOn removalReason }
      evaluation { scheme level levelName year issuer issuerUscc } objection { id fields outcome } } } }`;
  const ops = new Set<string>();
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const { jit, js } = await both(query, { after }, platform);
    expect(jit.status).toBe(200);
    expect(jit).toEqual(js);
    const page = jit.body.data.creditFeed as { endCursor: string; hasMore: boolean; entries: Array<{ op: string }> };
    for (const e of page.entries) ops.add(e.op);
    pages++;
    if (!page.hasMore) break;
    after = page.endCursor;
  }
  // Every page went the pre-shaped way, and the demo's feed has listings, evaluations and removals to compare.
  expect(shaped).toHaveBeenCalledTimes(pages);
  for (const r of shaped.mock.results) await expect(r.value).resolves.toEqual(expect.objectContaining({ entries: expect.any(Array) }));
  expect([...ops].sort()).toEqual(expect.arrayContaining(['EVALUATED', 'LISTED']));
  shaped.mockRestore();
});

test('the pre-shaped feed after withdrawals and objections: the same answer as the same page executed, for the platform and for ZONE', async () => {
  const steward = await t.token('WUJIANG', ['DATA_STEWARD', 'DOSSIER_READER'], { sub: 'wj-steward' });
  const reader = await t.token('WUJIANG', ['DOSSIER_READER'], { sub: 'wj-reader' });
  const zoneFeed = await t.token('ZONE', ['CREDIT_FEED'], { sub: 'zone-feed' });
  const [listing, evaluation] = await t.db.ds.query(
    `(SELECT record_no FROM credit_record WHERE owner_jurisdiction = 'WUJIANG' AND kind = 'LISTING' AND withdrawn_at IS NULL ORDER BY record_no LIMIT 1)
     UNION ALL (SELECT record_no FROM credit_record WHERE owner_jurisdiction = 'WUJIANG' AND kind = 'EVALUATION' AND withdrawn_at IS NULL ORDER BY record_no LIMIT 1)`);
  const w = await t.gql('mutation($k: String!) { withdrawCreditRecord(recordNo: $k, reason: "录入错误") { status } }', { k: listing.record_no }, { token: steward });
  expect(w.body.data?.withdrawCreditRecord.status).toBe('WITHDRAWN');
  const raised = await t.gql('mutation($k: String!) { raiseObjection(recordType: CREDIT_RECORD, key: $k, fields: ["level"], reason: "评价等级有误。") { id } }', { k: evaluation.record_no }, { token: reader });
  const id = raised.body.data.raiseObjection.id;
  await t.gql('mutation($id: ID!) { acceptObjection(id: $id) { status } }', { id }, { token: steward });
  const resolved = await t.gql('mutation($id: ID!) { resolveObjection(id: $id, outcome: REJECTED, reason: "经复核无误。") { status } }', { id }, { token: steward });
  expect(resolved.body.errors).toBeUndefined();

  const entries = `entries { cursor op kind uscc enterpriseName legalRepresentative { name idNumber } jurisdiction provinceCode recordNo withdrawnAt withdrawalReason at
    listing { reason legalBasis decisionNo authority authorityUscc listedAt validUntil removedOn removalReason }
    evaluation { scheme level levelName year issuer issuerUscc } objection { id fields outcome } }`;
  const shaped = jest.spyOn(t.hub.services.feed, 'pageShaped');
  for (const token of [platform, zoneFeed]) {
    const ops = new Set<string>();
    let after: string | null = null;
    for (;;) {
      // A root __typename beside the field sends the same page down the executed path.
      const [pre, executed] = await Promise.all([
        t.gql(`query($after: String) { creditFeed(first: 200, after: $after) { endCursor hasMore ${entries} } }`, { after }, { token }),
        t.gql(`query($after: String) { __typename creditFeed(first: 200, after: $after) { endCursor hasMore ${entries} } }`, { after }, { token }),
      ]);
      expect(pre.status).toBe(200);
      expect(pre.body.data.creditFeed).toEqual(executed.body.data.creditFeed);
      expect(pre.body.extensions).toEqual(executed.body.extensions);
      const page = pre.body.data.creditFeed as { endCursor: string; hasMore: boolean; entries: Array<{ op: string }> };
      for (const e of page.entries) ops.add(e.op);
      if (!page.hasMore) break;
      after = page.endCursor;
    }
    expect([...ops]).toEqual(expect.arrayContaining(['LISTED', 'EVALUATED', 'WITHDRAWN', 'OBJECTION_FLAGGED', 'OBJECTION_CLEARED']));
  }
  expect(shaped.mock.calls.length).toBeGreaterThan(1);
  shaped.mockRestore();
});

/**
 * Reads of one root field are answered already shaped (ShapedAnswers): the root resolver runs once
 * and its value is projected, no field walked by execution. Each answer must equal graphql-js's,
 * errors included, and a read that execution must finish (an error, a refused value) is still
 * resolved and audited once.
 */
describe('one root field of the read engine, answered already shaped', () => {
  /**
   * The last entry says how the answer is shaped: `text` written by PostgreSQL as the response
   * itself (ShapedJson), `object` projected in the hub, `error` left to execution.
   */
  const ONE_ROOT: Array<[string, string, Record<string, unknown>, 'zone' | 'wujiang' | 'public', 'text' | 'object' | 'error']> = [
    ['a dossier with all six lists, aliases, fragments, __typename and the parent of each record', `query($u: USCC!, $n: Int) {
        firm: enterprise(uscc: $u) { __typename ...Id creditStatus { level blacklisted listing { decisionNo validUntil } }
          eiaApprovals(first: $n) { totalCount edges { cursor node { approvalNo } } }
          permits(first: $n) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { permitNo validTo status executionReports { __typename frequency dueDaysAfterPeriodEnd } enterprise { uscc } } } }
          recent: penalties(first: 2) { edges { node { decisionNo fineAmount decisionDate categories } } }
          all: penalties(first: $n) { totalCount edges { node { decisionNo enterprise { name ...Id } } } }
          inspections(first: $n) { edges { node { findings } } } complaints(first: $n) { edges { node { ticketNo complainant { name phone } } } }
          creditRecords(first: $n) { totalCount edges { node { recordNo } } } }
      }
      fragment Id on Enterprise { uscc name jurisdiction }`, { n: 20 }, 'zone', 'text'],
    ['the same dossier through conditional sharing and masks', `query($u: USCC!) { enterprise(uscc: $u) { uscc legalRepresentative { name idNumber } creditStatus { level }
        complaints { totalCount edges { node { complainant { name phone } } } } inspections { edges { node { findings } } } creditRecords { totalCount } } }`, {}, 'wujiang', 'text'],
    ['a record list with a filter and each record\'s enterprise', `{ penalties(first: 30, filter: { jurisdiction: WUJIANG }) { totalCount pageInfo { endCursor hasNextPage }
        edges { cursor node { decisionNo fineAmount enterprise { uscc creditStatus { level } } } } } }`, {}, 'wujiang', 'text'],
    ['a hidden record by key: FORBIDDEN, located as execution locates it', `query($k: String!) { hidden: complaint(ticketNo: $k) { ticketNo } }`, {}, 'wujiang', 'error'],
    ['an unknown key: null', `{ penalty(decisionNo: "NO-SUCH") { decisionNo } }`, {}, 'wujiang', 'object'],
    ['a bad page size deep in the selection', `{ enterprises(first: 2) { edges { node { permits(first: 501) { totalCount } } } } }`, {}, 'zone', 'error'],
    ['a bad cursor at the root', `{ permits(first: 2, after: "nope") { totalCount } }`, {}, 'zone', 'error'],
    ['the public', `{ penalties(first: 5) { totalCount edges { node { decisionNo enterprise { name } } } } }`, {}, 'public', 'text'],
    ['every record type\'s fields, instants, item lists and masks (the bench dossier)', `query($u: USCC!) { enterprise(uscc: $u) {
        uscc name industryCode industryName address registrationStatus establishedOn ownerJurisdiction createdAt sourceAsOf underObjection legalRepresentative { name idNumber }
        eiaApprovals(first: 20) { totalCount edges { node { approvalNo projectName documentType decision decisionDate approvingAuthority } } }
        permits(first: 20) { totalCount edges { node { permitNo managementClass issuedOn validFrom validTo status permittedPollutants issuingAuthority updatedAt } } }
        inspections(first: 20) { totalCount edges { node { inspectionNo inspectedOn type leadAgency jointJurisdictions outcome status findings steps { step at } untriggeredOnsiteOfListedFirm } } }
        penalties(first: 20) { totalCount edges { node { decisionNo violationType facts legalBasis categories content fineAmount confiscationAmount decisionDate authorityName authorityUscc publicityUntil status } } }
        complaints(first: 20) { totalCount edges { node { ticketNo receivedAt channel element content handlingJurisdiction status reply closedAt complainant { name phone idNumber } } } }
        creditRecords(first: 20) { totalCount edges { node { recordNo kind effectiveOn issuer scheme level evaluationYear listingReason listingLegalBasis validUntil removedOn } } } } }`, {}, 'wujiang', 'text'],
    ['__typename at every level, leaf aliases, inline fragments and @skip/@include by variable', `query($u: USCC!, $yes: Boolean!) { enterprise(uscc: $u) {
        __typename id: uscc uscc n: name ... on Enterprise { name @include(if: $yes) address @skip(if: $yes) }
        legalRepresentative { __typename name } creditStatus { __typename level blacklisted listing { __typename decisionNo } }
        inspections(first: 3) { __typename pageInfo { __typename hasNextPage endCursor } edges { __typename cursor node { __typename steps { __typename at s: step } } } }
        complaints(first: 3) { edges { node { ticketNo complainant { __typename phone p: phone } } } } } }`, { yes: true }, 'zone', 'text'],
    ['two selections of edges in one connection: projected in the hub', `{ penalties(first: 3) { a: edges { node { decisionNo } } b: edges { cursor node { fineAmount } } } }`, {}, 'zone', 'object'],
    ['a computed value and a parent record under two response keys: projected in the hub (each read and audited once)', `query($u: USCC!) { enterprise(uscc: $u) {
        a: creditStatus { level } b: creditStatus { blacklisted } penalties(first: 2) { edges { node { e: enterprise { uscc } f: enterprise { name } } } } } }`, {}, 'zone', 'object'],
    // 42 keys (28 of them aliases, under the alias limit): PostgreSQL's json_build_object takes 50 pairs, the engine writes 40 a call.
    ['more than forty fields of one object, in order', `query($u: USCC!) { enterprise(uscc: $u) { __typename uscc name address industryCode industryName registrationStatus
        establishedOn ownerJurisdiction jurisdiction createdAt updatedAt sourceAsOf legalRepresentative { name }
        ${Array.from({ length: 28 }, (_, i) => `f${i}: ${['uscc', 'name', 'address', 'industryCode'][i % 4]}`).join(' ')} } }`, {}, 'zone', 'text'],
  ];

  test.each(ONE_ROOT)('%s', async (_name, query, vars, who, way) => {
    const variables = { ...vars };
    if (query.includes('$u')) {
      const owner = who === 'zone' ? 'WUJIANG' : 'QINGPU';
      const [row] = await t.db.ds.query(`SELECT e.uscc FROM enterprise e WHERE e.owner_jurisdiction = $1 AND EXISTS (SELECT 1 FROM complaint c WHERE c.enterprise_id = e.id)
        AND EXISTS (SELECT 1 FROM penalty p WHERE p.enterprise_id = e.id) ORDER BY e.uscc LIMIT 1`, [owner]);
      variables.u = row.uscc;
    }
    if (query.includes('$k')) {
      const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'JIASHAN' ORDER BY ticket_no LIMIT 1`);
      variables.k = row.ticket_no;
    }
    const token = who === 'zone' ? zone : who === 'wujiang' ? wujiang : undefined;
    const answer = jest.spyOn(ShapedAnswers.prototype, 'answer');
    try {
      const { jit, js } = await both(query, variables, token);
      expect(jit).toEqual(js);
      // Key for key in the same order, as graphql-js writes them.
      expect(JSON.stringify(jit.body)).toBe(JSON.stringify(js.body));
      expect(JSON.stringify(jit.body)).not.toContain('INTERNAL_SERVER_ERROR');
      expect(jit.body.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? jit.body.errors[0].message : 'valid').toBe('valid');
      expect(answer).toHaveBeenCalledTimes(1);
      // Shaped unless execution has an error to report.
      const shaped = await answer.mock.results[0].value;
      const value = jit.body.errors ? null : Object.values(shaped)[0];
      if (jit.body.errors) expect(shaped).toBeNull();
      // A text answer went into the body (equal to graphql-js's, above) and its ShapedJson let go of it.
      else if (value instanceof ShapedJson) expect(() => value.take()).toThrow('handed over already');
      else expect(JSON.parse(JSON.stringify(shaped))).toEqual(jit.body.data);
      expect(jit.body.errors ? 'error' : value instanceof ShapedJson ? 'text' : 'object').toBe(way);
    } finally {
      answer.mockRestore();
    }
  });

  test('a hidden record, a bad page and a list cost one statement each and leave the audit rows graphql-js leaves', async () => {
    const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'JIASHAN' ORDER BY ticket_no LIMIT 1`);
    const reads: Array<[string, Record<string, unknown>]> = [
      ['query Hidden($k: String!) { complaint(ticketNo: $k) { ticketNo } }', { k: row.ticket_no }],
      ['query List { penalties(first: 30) { edges { node { decisionNo enterprise { uscc } } } } }', {}],
      ['query BadPage { enterprises(first: 2) { edges { node { permits(first: 501) { totalCount } } } } }', {}],
    ];
    const audit = async (h: TestHub, sub: string) => h.db.ds.query(
      `SELECT operation_name, resource_type, owner_jurisdiction, record_count, masked, denied, record_keys FROM audit_event WHERE sub = $1
       ORDER BY operation_name, resource_type, owner_jurisdiction, denied`, [sub]);
    for (const [h, sub] of [[t, 'shaped-audit-jit'], [other, 'shaped-audit-js']] as const) {
      const token = await h.token('WUJIANG', ['DOSSIER_READER'], { sub });
      for (const [query, variables] of reads) {
        const res = await h.gql(query, variables, { token });
        expect(res.statements).toBe(query.includes('BadPage') ? 0 : 1);
      }
    }
    const jitRows = await audit(t, 'shaped-audit-jit');
    expect(jitRows.map((r: { operation_name: string }) => r.operation_name)).toEqual(expect.arrayContaining(['Hidden', 'List']));
    expect(jitRows.find((r: { operation_name: string }) => r.operation_name === 'Hidden')).toMatchObject({ denied: true, resource_type: 'COMPLAINT', owner_jurisdiction: 'JIASHAN' });
    expect(jitRows).toEqual(await audit(other, 'shaped-audit-js'));
  });
});

/**
 * An answer PostgreSQL writes as the response itself must be the one execution would give, even
 * for values at the edges of their forms: an instant with microseconds (the DateTime scalar keeps
 * milliseconds, cut), and a stored item list whose item lacks a non-null field (`hub_missing` stops
 * the statement, and the read runs again the way execution checks it: the same error, the same
 * audit rows, nothing of the stopped statement kept).
 */
describe('answers written as the response, at the edges of their forms', () => {
  const QUERY = `query Edge($k: String!) { complaint(ticketNo: $k) { ticketNo receivedAt closedAt } }`;
  const STEPS = `query Broken($k: String!) { inspection(inspectionNo: $k) { inspectionNo steps { step at } } }`;

  test('an instant with microseconds is written as the DateTime scalar writes it', async () => {
    const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'WUJIANG' ORDER BY ticket_no LIMIT 1`);
    for (const h of [t, other]) {
      await h.db.ds.query(`UPDATE complaint SET received_at = '2026-03-01 08:00:00.999999+08' WHERE ticket_no = $1`, [row.ticket_no]);
    }
    const answer = jest.spyOn(ShapedAnswers.prototype, 'answer');
    try {
      const { jit, js } = await both(QUERY, { k: row.ticket_no }, zone);
      expect(jit).toEqual(js);
      expect(jit.body.data.complaint.receivedAt).toBe('2026-03-01T00:00:00.999Z');
      expect(Object.values(await answer.mock.results[0].value)[0]).toBeInstanceOf(ShapedJson);
    } finally {
      answer.mockRestore();
    }
  });

  test('written in parts, an answer keeps the headers of any other: JSON, its length in bytes, no ETag', async () => {
    const answer = jest.spyOn(ShapedAnswers.prototype, 'answer');
    try {
      const res = await request(t.hub.app).post('/graphql').set('authorization', `Bearer ${zone}`).set('content-type', 'application/json')
        .send({ query: '{ penalties(first: 3) { totalCount edges { node { decisionNo authorityName } } } }' });
      expect(Object.values(await answer.mock.results[0].value)[0]).toBeInstanceOf(ShapedJson);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.headers.etag).toBeUndefined();
      expect(res.text.endsWith('}\n')).toBe(true);
      expect(res.body.data.penalties.edges).toHaveLength(3);
    } finally {
      answer.mockRestore();
    }
  });

  // A stored item without its required value: the key missing (an instant), or a JSON null (an enum).
  test.each([
    ['a missing key', 'at', `(steps -> 1) - 'at'`],
    ['a JSON null', 'step', `jsonb_set(steps -> 1, '{step}', 'null'::jsonb)`],
  ])('a null where the schema promises a value (%s): the error execution reports, one audit row', async (_how, field, item) => {
    const [row] = await t.db.ds.query(`SELECT inspection_no, steps FROM inspection WHERE owner_jurisdiction = 'WUJIANG' AND jsonb_array_length(steps) > 1 ORDER BY inspection_no LIMIT 1`);
    const token = async (h: TestHub, sub: string) => h.token('WUJIANG', ['DOSSIER_READER'], { sub });
    const sub = `edge-missing-${field}`;
    try {
      for (const h of [t, other]) {
        await h.db.ds.query(`UPDATE inspection SET steps = jsonb_set(steps, '{1}', ${item}) WHERE inspection_no = $1`, [row.inspection_no]);
      }
      const jit = await t.gql(STEPS, { k: row.inspection_no }, { token: await token(t, `${sub}-jit`) });
      const js = await other.gql(STEPS, { k: row.inspection_no }, { token: await token(other, `${sub}-js`) });
      expect(jit.body).toEqual(js.body);
      // graphql-js's own error for a null in a non-null field, answered as the hub answers any fault of its own.
      expect(jit.body.errors[0]).toMatchObject({ message: 'internal error', path: ['inspection', 'steps', 1, field], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(jit.body.data).toEqual({ inspection: null });
      // The stopped statement and the one that answered.
      expect(jit.statements).toBe(2);
      const audit = (h: TestHub, s: string) => h.db.ds.query(`SELECT resource_type, owner_jurisdiction, record_count, record_keys FROM audit_event WHERE sub = $1`, [s]);
      const rows = await audit(t, `${sub}-jit`);
      expect(rows).toEqual([{ resource_type: 'INSPECTION', owner_jurisdiction: 'WUJIANG', record_count: 1, record_keys: [row.inspection_no] }]);
      expect(rows).toEqual(await audit(other, `${sub}-js`));
    } finally {
      for (const h of [t, other]) await h.db.ds.query(`UPDATE inspection SET steps = $2 WHERE inspection_no = $1`, [row.inspection_no, JSON.stringify(row.steps)]);
    }
  });

  // Values the writer would never store, written by hand: graphql-js refuses to serialize them, and so does the statement.
  test.each([
    ['an enum column', `UPDATE inspection SET outcome = 'NOT_AN_OUTCOME' WHERE inspection_no = $1`, ['inspection', 'outcome']],
    ['an enum list with an unknown member', `UPDATE inspection SET joint_jurisdictions = '{WUJIANG,NOWHERE}' WHERE inspection_no = $1`, ['inspection', 'jointJurisdictions', 1]],
    ['an enum list with a null member', `UPDATE inspection SET joint_jurisdictions = '{WUJIANG,NULL}' WHERE inspection_no = $1`, ['inspection', 'jointJurisdictions', 1]],
    ['an item enum', `UPDATE inspection SET steps = jsonb_set(steps, '{0,step}', '"NOT_A_STEP"') WHERE inspection_no = $1`, ['inspection', 'steps', 0, 'step']],
  ])('a stored value outside its type (%s): the error graphql-js reports, one audit row', async (what, update, path) => {
    const [row] = await t.db.ds.query(`SELECT inspection_no, outcome, joint_jurisdictions, steps FROM inspection WHERE owner_jurisdiction = 'WUJIANG' AND jsonb_array_length(steps) > 0 ORDER BY inspection_no LIMIT 1`);
    const q = `query Odd($k: String!) { inspection(inspectionNo: $k) { inspectionNo outcome jointJurisdictions steps { step } } }`;
    const sub = `edge-odd-${what.replace(/\W+/g, '-')}`;
    try {
      for (const h of [t, other]) await h.db.ds.query(update, [row.inspection_no]);
      const jit = await t.gql(q, { k: row.inspection_no }, { token: await t.token('WUJIANG', ['DOSSIER_READER'], { sub: `${sub}-jit` }) });
      const js = await other.gql(q, { k: row.inspection_no }, { token: await other.token('WUJIANG', ['DOSSIER_READER'], { sub: `${sub}-js` }) });
      expect(jit.body).toEqual(js.body);
      expect(jit.body.errors[0]).toMatchObject({ path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(jit.statements).toBe(2);
      const audit = (h: TestHub, s: string) => h.db.ds.query(`SELECT resource_type, record_count FROM audit_event WHERE sub = $1`, [s]);
      expect(await audit(t, `${sub}-jit`)).toEqual([{ resource_type: 'INSPECTION', record_count: 1 }]);
    } finally {
      for (const h of [t, other]) {
        await h.db.ds.query(`UPDATE inspection SET outcome = $2, joint_jurisdictions = $3, steps = $4 WHERE inspection_no = $1`,
          [row.inspection_no, row.outcome, row.joint_jurisdictions, JSON.stringify(row.steps)]);
      }
    }
  });

  test('a statement the server refused keeps its connection (and the connection its prepared statements); a lost one does not', async () => {
    const sql = new PreparedQueries(t.db.ds);
    const pid = async () => (await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []))[0].pid;
    const before = await pid();
    await expect(sql.query(`SELECT coalesce(NULL::text, hub_missing(NULL::text, 'X.y')) AS v`, [])).rejects.toMatchObject({ code: 'HB001', severity: 'ERROR' });
    expect(await pid()).toBe(before);
  });
});
