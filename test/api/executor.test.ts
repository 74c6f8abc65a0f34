import request from 'supertest';
import type { Hub } from '../../src/server';
import { startTestHub, TestHub } from '../support/hub';

/**
 * The compiled executor (graphql-jit, the default) answers every kind of read exactly as graphql-js
 * does: the same data, errors, codes, paths and policy extensions, for the same documents.
 */
let t: TestHub;
let other: TestHub;
let zone: string;
let wujiang: string;
beforeAll(async () => {
  // Two clones of the same template: the same data under each executor.
  t = await startTestHub('demo');
  other = await startTestHub('demo', { HUB_EXECUTOR: 'graphql-js' });
  zone = await t.token('ZONE', ['DOSSIER_READER', 'ENFORCEMENT']);
  wujiang = await t.token('WUJIANG', ['DOSSIER_READER']);
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
const CASES: Array<[string, string, Record<string, unknown>, 'zone' | 'wujiang' | 'public', string | undefined]> = [
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
  ['an operation chosen by name', `query A { me { sub } } query B { me { jurisdiction } }`, {}, 'zone', 'B'],
];

test.each(CASES)('%s', async (_name, query, variables, who, operationName) => {
  if ('k' in variables) {
    const [row] = await t.db.ds.query(`SELECT ticket_no FROM complaint WHERE owner_jurisdiction = 'JIASHAN' ORDER BY ticket_no LIMIT 1`);
    variables = { k: row.ticket_no };
  }
  const token = who === 'zone' ? zone : who === 'wujiang' ? wujiang : undefined;
  const { jit, js } = await both(query, variables, token, operationName);
  expect(jit).toEqual(js);
  expect(JSON.stringify(jit.body)).not.toContain('INTERNAL_SERVER_ERROR');
});
