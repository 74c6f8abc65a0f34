import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TokenVerifier } from '../../src/auth/principal';
import { DEV_TOKEN_ROLES, PLAYGROUND_CSP, PlaygroundSettings } from '../../src/playground/playground';
import { PLACEHOLDER_USCC, playgroundExamples } from '../../src/playground/examples';
import { startTestHub, TestHub } from '../support/hub';

/** The playground page over HTTP: self-contained, strict CSP, and a dev token only in development. */
function settingsOf(html: string): PlaygroundSettings {
  const m = /<script type="application\/json" id="playground-settings">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no settings block in the page');
  return JSON.parse(m[1]);
}

const devDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'eco-hub-playground-'));

describe('the playground page (test configuration: configured secret, no dev token)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub('demo');
  });
  afterAll(() => t.close());

  test('GET /playground: HTML with a strict same-origin CSP and no inline script', async () => {
    const res = await request(t.hub.app).get('/playground');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
    expect(PLAYGROUND_CSP).not.toMatch(/unsafe-|https?:|\*/);
    expect(res.headers['cache-control']).toBe('no-store');
    // Every <script> either loads a same-origin file or is a JSON data block, which browsers never execute.
    const scripts = [...res.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    for (const attrs of scripts) expect(attrs).toMatch(/src="\/playground\/assets\/|type="application\/json"/);
    expect(res.text).not.toMatch(/unpkg|jsdelivr|esm\.sh|cdn\.|googleapis|https?:\/\//);
  });

  test('every file the page references is served by the hub itself', async () => {
    const res = await request(t.hub.app).get('/playground');
    const refs = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
    expect(refs).toHaveLength(7);
    for (const ref of refs) {
      expect(ref.startsWith('/playground/assets/')).toBe(true);
      const asset = await request(t.hub.app).get(ref).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect((asset.body as Buffer).length).toBeGreaterThan(ref.endsWith('playground.css') ? 10 : 1000);
    }
    expect((await request(t.hub.app).get('/playground/assets/graphiql/no-such-file.js')).status).toBe(404);
  });

  test('no token is prefilled unless the hub runs in development on its generated secret', async () => {
    const s = settingsOf((await request(t.hub.app).get('/playground')).text);
    expect(s.devToken).toBe(false);
    expect(s.headers).toBe('');
    expect(s.tabs).toHaveLength(playgroundExamples(null).length);
    expect(s.tabs.every((tab) => tab.headers === '')).toBe(true);
    expect(JSON.parse(s.tabs[1].variables!)).toEqual({ uscc: PLACEHOLDER_USCC });
  });

  test('GET /graphql: the page for a browser, the API for everyone else', async () => {
    const browser = await request(t.hub.app).get('/graphql').set('accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(browser.status).toBe(200);
    expect(browser.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
    expect(browser.text).toContain('playground-settings');
    // A GET with a query goes to Apollo whatever it accepts (Apollo answers a pure-HTML Accept with 406).
    const htmlQuery = await request(t.hub.app).get('/graphql').query({ query: '{ __typename }' }).set('accept', 'text/html').set('apollo-require-preflight', 'true');
    expect(htmlQuery.text).not.toContain('playground-settings');
    const api = await request(t.hub.app).get('/graphql').query({ query: '{ __typename }' }).set('accept', 'application/json').set('apollo-require-preflight', 'true');
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text)).toEqual({ data: { __typename: 'Query' } });
    const curl = await request(t.hub.app).get('/graphql').set('accept', '*/*');
    expect(curl.text).not.toContain('playground-settings');
    const post = await t.gql('{ __typename }');
    expect(post.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the playground in development on the generated secret', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub('demo', { NODE_ENV: 'development', HUB_JWT_SECRET: '', HUB_DATA_DIR: devDir() });
  });
  afterAll(() => t.close());

  test('prefills a 12-hour ZONE reading token that the hub accepts', async () => {
    const s = settingsOf((await request(t.hub.app).get('/playground')).text);
    expect(s.devToken).toBe(true);
    const auth: string = JSON.parse(s.headers).Authorization;
    expect(s.tabs.every((tab) => tab.headers === s.headers)).toBe(true);
    const principal = await new TokenVerifier({ secret: t.config.jwtSecret }).principalFrom(auth);
    expect(principal).toMatchObject({ kind: 'user', jurisdiction: 'ZONE', roles: [...DEV_TOKEN_ROLES] });
    const payload = JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(12 * 3600);
    const me = await t.gql('{ me { jurisdiction roles } }', {}, { headers: { authorization: auth } });
    expect(me.body.data.me).toEqual({ jurisdiction: 'ZONE', roles: [...DEV_TOKEN_ROLES] });
  });

  test('the dossier example opens on a real Wujiang enterprise, read through the policy and audited', async () => {
    const s = settingsOf((await request(t.hub.app).get('/playground')).text);
    const { uscc } = JSON.parse(s.tabs[1].variables!);
    const [first] = await t.db.ds.query(`SELECT uscc FROM enterprise WHERE owner_jurisdiction = 'WUJIANG' ORDER BY uscc LIMIT 1`);
    expect(uscc).toBe(first.uscc);
    const audit = await t.db.ds.query(`SELECT sub, record_count FROM audit_event WHERE operation_name = 'PlaygroundExampleUscc'`);
    expect(audit).toEqual([{ sub: 'playground-dev', record_count: 1 }]);
  });

  test('development with a configured secret hands out no token', async () => {
    const other = await startTestHub('empty', { NODE_ENV: 'development' });
    try {
      const s = settingsOf((await request(other.hub.app).get('/playground')).text);
      expect(s.devToken).toBe(false);
      expect(s.headers).toBe('');
    } finally {
      await other.close();
    }
  });
});
