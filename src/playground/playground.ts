import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';
import { execute, parse } from 'graphql';
import { mintToken, Role, tokenSettings } from '../auth/principal';
import type { Config } from '../config';
import { Jurisdiction } from '../domain/jurisdictions';
import { buildContext, Services } from '../graphql/context';
import { weakEtag } from '../http/etag';
import { hubSchema } from '../graphql/schema';
import { PlaygroundExample, playgroundExamples } from './examples';

/**
 * A GraphiQL served entirely from the hub: the page, its script and the graphiql / react /
 * react-dom UMD builds all come from this origin, so the playground works on a machine with no
 * internet and leaks nothing to a CDN (Apollo's own landing page loads from one, so it stays off).
 */

/** Where the page and its files live; `/graphql` also answers with the page when a browser asks for HTML. */
export const PLAYGROUND_PATH = '/playground';
const ASSETS = `${PLAYGROUND_PATH}/assets`;

/** Roles of the development token the embedded playground prefills: everything a reader of the zone may hold, no writes. */
export const DEV_TOKEN_ROLES: readonly Role[] = [Role.DOSSIER_READER, Role.ENFORCEMENT, Role.COMPLAINT_HANDLER, Role.AUDITOR, Role.CATALOG_READER];

/**
 * The page's policy: only this origin, no inline script (the page's settings travel in a JSON
 * data block, which browsers do not execute), no framing. Fonts and images may be data: URLs
 * because GraphiQL's stylesheet inlines its icons and fonts that way.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Settings the page script reads; nothing else crosses from the server to the page. */
export interface PlaygroundSettings {
  endpoint: string;
  tabs: Array<{ query: string; variables?: string; headers?: string }>;
  /** JSON text of the headers editor of every tab: the dev token in development, else empty. */
  headers: string;
  devToken: boolean;
}

/**
 * Whether this hub may hand out a development token at all: only in development and on the
 * generated secret. Even then, only a browser on the hub's own machine gets it (isLoopbackClient).
 */
export function isDevPlayground(config: Config): boolean {
  return config.nodeEnv === 'development' && config.jwtSecretGenerated;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6'); // IPv4-mapped addresses (::ffff:127.0.0.1) match the IPv4 rule

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x.x.x; false for anything else, a name or nothing. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const kind = address ? isIP(address) : 0;
  return kind !== 0 && LOOPBACK.check(address!, kind === 4 ? 'ipv4' : 'ipv6');
}

/** Who the playground's caller is, as far as the HTTP connection tells. */
export interface ClientAddress {
  /** The TCP peer of the connection. */
  socketAddress: string | undefined;
  /** Express's `req.ip`: the peer, or with HUB_TRUST_PROXY the client a trusted proxy names. */
  ip: string | undefined;
  headers: IncomingHttpHeaders;
}

export function clientAddressOf(req: Request): ClientAddress {
  return { socketAddress: req.socket.remoteAddress, ip: req.ip, headers: req.headers };
}

/** Every address the forwarding headers name (X-Forwarded-For, X-Real-IP, Forwarded `for=`), as given. */
function forwardedAddresses(headers: IncomingHttpHeaders): string[] {
  const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const out = list(headers['x-forwarded-for']).flatMap((v) => v.split(','));
  out.push(...list(headers['x-real-ip']));
  for (const element of list(headers.forwarded).flatMap((v) => v.split(/[,;]/))) {
    const m = /^\s*for\s*=\s*"?([^"]*)"?\s*$/i.exec(element);
    // for="[::1]:4711" and for=127.0.0.1:80 name an address with a port; `unknown` and `_hidden` name none.
    if (m) out.push(m[1].replace(/^\[([^\]]*)\](:\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1'));
  }
  return out.map((a) => a.trim());
}

/**
 * Whether a request comes from a browser on the hub's own machine, the only caller that gets the
 * development token. The connection's peer must be loopback, and so must the client Express
 * derives under HUB_TRUST_PROXY and every address a forwarding header names: a proxy on the same
 * machine (its connection is loopback) passes the token on to nobody, whether or not the hub was
 * told to trust it. A client can forge forwarding headers only to lose the token, never to gain it.
 */
export function isLoopbackClient(c: ClientAddress): boolean {
  if (!isLoopbackAddress(c.socketAddress)) return false;
  if (!isLoopbackAddress(c.ip ?? c.socketAddress)) return false;
  return forwardedAddresses(c.headers).every(isLoopbackAddress);
}

function moduleDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** JSON that is safe inside a `<script type="application/json">` block (no `</script>`, no `<!--`). */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function page(settings: PlaygroundSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eco-hub playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS}/graphiql/graphiql.min.css">
<link rel="stylesheet" href="${ASSETS}/playground.css">
</head>
<body>
<div id="graphiql">Loading the Eco-hub playground…</div>
<script type="application/json" id="playground-settings">${jsonForHtml(settings)}</script>
<script src="${ASSETS}/react/react.production.min.js"></script>
<script src="${ASSETS}/react-dom/react-dom.production.min.js"></script>
<script src="${ASSETS}/graphiql/graphiql.min.js"></script>
<script src="${ASSETS}/graphql-ws/graphql-ws.min.js"></script>
<script src="${ASSETS}/playground.js"></script>
</body>
</html>
`;
}

const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
`;

/*
 * The page script. Plain ES2017 in a string so the built hub serves it without a bundler. Tabs
 * live in memory only: every load opens the examples afresh with a valid token, rather than
 * restoring yesterday's tabs with an expired one from localStorage.
 */
const PAGE_JS = `(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('playground-settings').textContent);
  var memory = {};
  var storage = {
    getItem: function (k) { return Object.prototype.hasOwnProperty.call(memory, k) ? memory[k] : null; },
    setItem: function (k, v) { memory[k] = String(v); },
    removeItem: function (k) { delete memory[k]; },
    clear: function () { memory = {}; },
    get length() { return Object.keys(memory).length; },
    key: function (i) { return Object.keys(memory)[i] || null; }
  };
  var endpoint = new URL(settings.endpoint, window.location.href).href;
  var httpFetcher = GraphiQL.createFetcher({ url: endpoint });
  // Subscriptions run over graphql-ws on the same path; the Headers editor's Authorization (and
  // X-Purpose) travel in connection_init. The client is made again when they change.
  var wsUrl = endpoint.replace(/^http/, 'ws');
  var ws = null;
  var wsKey = null;
  function headerOf(headers, name) {
    for (var k in headers) if (Object.prototype.hasOwnProperty.call(headers, k) && k.toLowerCase() === name) return headers[k];
    return undefined;
  }
  function wsClient(headers) {
    var params = { authorization: headerOf(headers, 'authorization'), purpose: headerOf(headers, 'x-purpose') };
    var key = JSON.stringify(params);
    if (ws && wsKey === key) return ws;
    if (ws) ws.dispose();
    wsKey = key;
    ws = graphqlWs.createClient({ url: wsUrl, lazy: true, retryAttempts: 0, connectionParams: params });
    return ws;
  }
  // The kind of the operation to run, from the document's top level (brace depth 0), comments and strings left out.
  function operationKind(query, operationName) {
    var text = String(query).replace(/"""[\\s\\S]*?"""|"(?:\\\\.|[^"\\\\])*"|#[^\\n]*/g, ' ');
    var depth = 0, words = [], ops = [], i, c, m;
    for (i = 0; i < text.length; i++) {
      c = text[i];
      if (c === '{') {
        if (depth === 0) {
          if (words[0] === 'query' || words[0] === 'mutation' || words[0] === 'subscription') ops.push({ kind: words[0], name: words[1] || null });
          else if (words[0] !== 'fragment') ops.push({ kind: 'query', name: null });
          words = [];
        }
        depth++;
      } else if (c === '}') depth--;
      else if (c === '(') depth += 1000;
      else if (c === ')') depth -= 1000;
      else if (depth === 0 && /[_A-Za-z]/.test(c)) {
        m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(text.slice(i));
        words.push(m[0]);
        i += m[0].length - 1;
      }
    }
    var op = operationName ? ops.filter(function (o) { return o.name === operationName; })[0] : ops[0];
    return op ? op.kind : 'query';
  }
  function fetcher(params, opts) {
    if (operationKind(params.query, params.operationName) === 'subscription') {
      return wsClient((opts && opts.headers) || {}).iterate({ query: params.query, variables: params.variables, operationName: params.operationName });
    }
    return httpFetcher(params, opts);
  }
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: settings.tabs,
    defaultHeaders: settings.headers,
    defaultEditorToolsVisibility: settings.devToken ? 'headers' : 'variables',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    storage: storage
  }));
})();
`;

/** Sends one of the page's own small files; an hour of caching is plenty, they change only with a release. */
function sendText(type: string, body: string) {
  const etag = weakEtag(body);
  return (_req: Request, res: Response) => {
    res.set({ 'cache-control': 'public, max-age=3600', etag }).type(type).send(body);
  };
}

/** The longest query a link may carry into the playground, as the hub's default query size cap. */
const MAX_LINKED_QUERY = 32 * 1024;

/** The query (and variables) a link asks the playground to open, when it gives one of sane size. */
function linkedQuery(req: Request): { query: string; variables?: string } | null {
  const { query, variables } = req.query;
  if (typeof query !== 'string' || query.trim() === '' || query.length > MAX_LINKED_QUERY) return null;
  return typeof variables === 'string' && variables.length <= MAX_LINKED_QUERY ? { query, variables } : { query };
}

/** Lifetime of the development token: 12 hours, or the hub's cap if that is shorter. */
const DEV_TOKEN_SECONDS = 12 * 3600;

/**
 * The playground's routes: the page at `/playground` and at `GET /graphql` for a browser (an
 * Accept that prefers HTML and no `query` parameter; API clients and GET queries pass through),
 * and its files under `/playground/assets`. In development on the generated secret, for a browser
 * on the hub's own machine, it mints a 12-hour ZONE reading token into the headers and a real USCC
 * into the dossier example, so `npm start` on a fresh machine opens a playground that answers with
 * data at the first click; anyone else gets the page without a token.
 */
export function playgroundRouter(config: Config, services?: Services): Router {
  const r = express.Router();
  const devHub = isDevPlayground(config);
  const staticOptions = { index: false, fallthrough: false, maxAge: '1d' } as const;

  r.use(`${ASSETS}/react`, express.static(path.join(moduleDir('react'), 'umd'), staticOptions));
  r.use(`${ASSETS}/react-dom`, express.static(path.join(moduleDir('react-dom'), 'umd'), staticOptions));
  r.use(`${ASSETS}/graphiql`, express.static(moduleDir('graphiql'), staticOptions));
  r.use(`${ASSETS}/graphql-ws`, express.static(path.join(moduleDir('graphql-ws'), 'umd'), staticOptions));
  r.get(`${ASSETS}/playground.js`, sendText('application/javascript', PAGE_JS));
  r.get(`${ASSETS}/playground.css`, sendText('text/css', PAGE_CSS));

  let sampleUscc: string | null = null;
  const serve = async (req: Request, res: Response, next: NextFunction) => {
    try {
      let headers = '';
      const dev = devHub && isLoopbackClient(clientAddressOf(req));
      if (dev) {
        const token = await mintToken(
          tokenSettings(config),
          { sub: 'playground-dev', org: 'ECO-HUB-DEV', jurisdiction: Jurisdiction.ZONE, roles: [...DEV_TOKEN_ROLES] },
          `${Math.min(DEV_TOKEN_SECONDS, config.jwtMaxLifetimeSeconds)}s`,
        );
        headers = JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2);
        sampleUscc ??= services ? await devSampleUscc(services) : null;
      }
      const tabs = playgroundExamples(dev ? sampleUscc : null).map((e: PlaygroundExample) => ({
        query: e.query,
        ...(e.variables ? { variables: JSON.stringify(e.variables, null, 2) } : {}),
        headers,
      }));
      // `/playground?query=…[&variables=…]` (the portal's "open in playground") opens that query first.
      const asked = linkedQuery(req);
      if (asked) tabs.unshift({ ...asked, headers });
      res.set({
        'content-security-policy': PLAYGROUND_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // The page may carry a token: never cache it.
        'cache-control': 'no-store',
      });
      res.type('html').send(page({ endpoint: '/graphql', tabs, headers, devToken: dev }));
    } catch (err) {
      next(err);
    }
  };

  r.get(PLAYGROUND_PATH, serve);
  r.get('/graphql', (req, res, next) => {
    const wantsPage = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (wantsPage && req.query.query === undefined) return void serve(req, res, next);
    next();
  });
  return r;
}

/**
 * A USCC for the dossier example, read as the development token's principal would read it: through
 * the enterprise service (so through the policy) and written to the audit log like any read.
 */
async function devSampleUscc(services: Services): Promise<string | null> {
  const principal = { kind: 'user' as const, sub: 'playground-dev', org: 'ECO-HUB-DEV', jurisdiction: Jurisdiction.ZONE, roles: DEV_TOKEN_ROLES };
  const ctx = buildContext(services, principal, null, { statements: 0 }, randomUUID());
  const result = await execute({
    schema: await hubSchema(),
    document: parse('query PlaygroundExampleUscc { enterprises(first: 1, filter: { jurisdiction: WUJIANG }) { edges { node { uscc } } } }'),
    contextValue: ctx,
  });
  if (result.errors?.length) throw result.errors[0];
  const edges = (result.data as { enterprises: { edges: Array<{ node: { uscc: string } }> } }).enterprises.edges;
  return edges[0]?.node.uscc ?? null;
}
