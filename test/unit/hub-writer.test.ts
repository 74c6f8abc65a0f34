import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { HubBatchWriter } from '../../src/cli/hub-writer';
import { importPrincipal } from '../../src/cli/import';
import { Jurisdiction } from '../../src/domain/jurisdictions';
import { withCheckCharacter } from '../../src/domain/uscc';
import { hubSchema } from '../../src/graphql/schema';
import { WRITE_SPECS } from '../../src/modules/dossier/write-specs';

/*
 * The import's writer through a running hub, against a stand-in hub: what goes on the wire, how
 * answers map back to the file's records, and what it does when the hub answers 413, 429 or
 * UNAUTHENTICATED, or not at all. (test/integration/data-lock.test.ts runs it against a real hub.)
 */

interface Seen {
  authorization: string | undefined;
  query: string;
  records: Array<Record<string, unknown>>;
}

let schema: GraphQLSchema;
let server: http.Server;
let url: string;
const seen: Seen[] = [];
/** What the stand-in answers to the next requests, in order; then 200 with one result per record. */
let script: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];

beforeAll(async () => {
  schema = await hubSchema();
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (b) => (text += b));
    req.on('end', () => {
      const body = JSON.parse(text) as { query: string; variables: { records: Array<Record<string, unknown>> } };
      seen.push({ authorization: req.headers.authorization, query: body.query, records: body.variables.records });
      const next = script.shift();
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify(next.body ?? {}));
        return;
      }
      // Every record INSERTED, but one named BAD rejected with a problem under the mutation's path.
      const results = body.variables.records.map((r, index) => (r.name === 'BAD'
        ? { index, key: r.uscc, status: 'REJECTED', code: 'BAD_USER_INPUT', ownerJurisdiction: null, problems: [{ field: `records.${index}.name`, message: 'is bad' }] }
        : { index, key: r.uscc, status: 'INSERTED', code: null, ownerJurisdiction: null, problems: [] }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { upsertEnterprises: { results } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
  script = [];
});

let n = 0;
const enterprise = (extra: Record<string, unknown> = {}) => ({
  uscc: withCheckCharacter(`91320509MA${String(8_000_000 + ++n)}`), name: `企业${n}`, industryCode: 'C2614', address: '路1号', registrationStatus: 'ACTIVE',
  sourceSystem: 'T', sourceRecordId: `R${n}`, asOf: '2026-06-01T10:00:00+08:00', ...extra,
});
const writer = (o: Partial<ConstructorParameters<typeof HubBatchWriter>[0]> = {}) => new HubBatchWriter({ url, schema, signing: { secret: 's'.repeat(32) }, maxWaitMs: 20, ...o });
const write = (w: HubBatchWriter, records: unknown[]) => w.writeBatch(importPrincipal(Jurisdiction.WUJIANG), WRITE_SPECS.enterprise, records, { pathOf: () => '', fallbackOwner: Jurisdiction.WUJIANG });

test('a batch goes to upsertEnterprises signed as the steward; answers come back under the file\'s paths', async () => {
  const records = [enterprise(), enterprise({ name: 'BAD' }), enterprise()];
  const out = await write(writer(), records);
  expect(seen).toHaveLength(1);
  expect(seen[0].query).toMatch(/^mutation ImportBatch\(\$records: \[EnterpriseInputJSON\]!\) \{ upsertEnterprises\(records: \$records\)/);
  expect(seen[0].authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(seen[0].authorization!.split('.')[1], 'base64url').toString());
  expect(claims).toMatchObject({ sub: 'import-cli', org: 'WUJIANG-EEB', jurisdiction: 'WUJIANG', roles: ['DATA_STEWARD'] });
  expect(claims.exp - claims.iat).toBe(15 * 60);
  expect(out.map((o) => [o.index, o.status, o.problems])).toEqual([
    [0, 'INSERTED', []], [1, 'REJECTED', [{ field: 'name', message: 'is bad' }]], [2, 'INSERTED', []],
  ]);
});

test('every record goes to the hub as read, which checks each on its own; the import\'s district goes as the jurisdiction', async () => {
  const city = enterprise({ uscc: withCheckCharacter('91320500MA8999999') }); // no district in its division code
  const odd = enterprise({ name: 42, colour: 'red' });
  const out = await write(writer(), [odd, city]);
  expect(seen.map((s) => s.records)).toEqual([[odd, { ...city, jurisdiction: 'WUJIANG' }]]);
  expect(out.map((o) => [o.index, o.status])).toEqual([[0, 'INSERTED'], [1, 'INSERTED']]);
});

test('413 splits the batch, 429 is waited out, and the outcomes keep their records\' indices', async () => {
  script = [{ status: 413 }, { status: 429, headers: { 'retry-after': '1' } }];
  const records = [enterprise(), enterprise({ name: 'BAD' }), enterprise(), enterprise()];
  const out = await write(writer(), records);
  expect(seen.map((s) => s.records.length)).toEqual([4, 2, 2, 2]); // the whole, half refused by 429 then sent again, the other half
  expect(out.map((o) => [o.index, o.status])).toEqual([[0, 'INSERTED'], [1, 'REJECTED'], [2, 'INSERTED'], [3, 'INSERTED']]);
});

test('a token the hub does not accept, and a hub that is gone, stop the import with what to do', async () => {
  script = [{ status: 200, body: { errors: [{ message: 'invalid token: signature verification failed', extensions: { code: 'UNAUTHENTICATED' } }] } }];
  await expect(write(writer(), [enterprise()])).rejects.toThrow(/did not accept the import's token \(UNAUTHENTICATED: invalid token.*\); the import signs with HUB_JWT_SECRET if set, else with the data folder's dev-jwt-secret/);
  const gone = http.createServer();
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
  const port = (gone.address() as AddressInfo).port;
  await new Promise<void>((resolve) => gone.close(() => resolve()));
  await expect(write(writer({ url: `http://127.0.0.1:${port}` }), [enterprise()])).rejects.toThrow(
    new RegExp(`^the hub at http://127\\.0\\.0\\.1:${port} did not answer \\(ECONNREFUSED\\); the batches before this one are written, and running the import again is safe`));
});
