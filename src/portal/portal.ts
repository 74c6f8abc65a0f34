import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import express, { NextFunction, Request, Response, Router } from 'express';
import { PLAYGROUND_PATH } from '../playground/playground';
import { chartsBundle, CHARTS_ENTRY, packageRoot } from './charts-bundle';

/*
 * The catalog portal: a page a person browses the catalog with, served by the hub from its own
 * origin (no CDN; it works offline). The page is a small shell; its script asks the hub's GraphQL
 * API for everything it shows, with the token the viewer pastes (or none, as the public), so it
 * never shows more than the API gives that viewer. Charts are drawn with the ECharts subset of
 * charts-bundle.ts, loaded only on a page that draws one.
 *
 * Routes: `/` (browse, search, facets), `/catalog/resources/<code>` (a resource; the same IRI the
 * DCAT export gives the dataset, so its identifiers open a page), and /portal/assets/*.
 */

export const PORTAL_ASSETS = '/portal/assets';

/**
 * Only this origin, no inline script or style (settings travel in a JSON data block, which
 * browsers do not execute; ECharts draws on a canvas and its tooltips are drawn there too), no
 * framing, no forms posting anywhere.
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the page script reads from the server; nothing else crosses. */
export interface PortalSettings {
  endpoint: string;
  playground: string;
  charts: string;
  dcat: { jsonld: string; turtle: string };
}

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

function asset(type: string, text: string): Asset {
  const body = Buffer.from(text);
  return { type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Sends an asset gzipped when the browser takes it (most do), revalidated by its ETag. */
function sendAsset(req: Request, res: Response, a: Asset, maxAgeSeconds: number): void {
  res.set({ 'cache-control': `public, max-age=${maxAgeSeconds}`, etag: a.etag, vary: 'Accept-Encoding', 'content-type': a.type });
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  if (req.acceptsEncodings('gzip') === 'gzip') {
    res.set('content-encoding', 'gzip').send(a.gzip);
    return;
  }
  res.send(a.body);
}

/** JSON that is safe inside a `<script type="application/json">` block. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const version = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

function shell(settings: PortalSettings, css: string, js: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>示范区生态环境数据资源目录 · Eco-hub</title>
<meta name="description" content="长三角生态绿色一体化发展示范区生态环境监测数据资源目录 / Data resource catalog of the Yangtze River Delta Eco-Green Integrated Development Demonstration Zone">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/ld+json" href="${settings.dcat.jsonld}" title="DCAT-AP (JSON-LD)">
<link rel="alternate" type="text/turtle" href="${settings.dcat.turtle}" title="DCAT-AP (Turtle)">
<link rel="stylesheet" href="${PORTAL_ASSETS}/portal.css?v=${version(css)}">
<script type="module" src="${PORTAL_ASSETS}/portal.js?v=${version(js)}"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/" data-nav>
    <span class="brand-zh">示范区生态环境数据资源目录</span>
    <span class="brand-en">Eco-Green Demonstration Zone · Environmental data catalog</span>
  </a>
  <nav class="links">
    <a href="/" data-nav>目录 <span class="en">Catalog</span></a>
    <a href="${settings.playground}">接口调试 <span class="en">Playground</span></a>
    <a href="${settings.dcat.turtle}">DCAT-AP</a>
  </nav>
  <div id="signin" class="signin"></div>
</header>
<main id="app" aria-live="polite"><p class="loading">正在加载目录… <span class="en">Loading the catalog…</span></p></main>
<footer class="foot">
  长三角生态绿色一体化发展示范区 · 青浦 吴江 嘉善 ·
  <a href="${settings.dcat.jsonld}">DCAT-AP JSON-LD</a> · <a href="${settings.dcat.turtle}">Turtle</a> ·
  <a href="${settings.playground}">GraphQL playground</a>
</footer>
<script type="application/json" id="portal-settings">${jsonForHtml(settings)}</script>
</body>
</html>
`;
}

/** The ECharts version the bundle is built from, as package.json pins it (echarts itself may not be installed). */
function echartsVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return pkg.devDependencies?.echarts ?? '';
}

/** The folder of the page's own script and stylesheet (kept as plain files beside this module's source). */
function assetsDir(): string {
  return path.join(packageRoot(), 'src', 'portal', 'assets');
}

/**
 * The portal's routes. The page and its own files are read once, when the router is made; the
 * charts bundle on its first request (built in memory from the sources, read from dist/ compiled).
 */
export function portalRouter(): Router {
  const r = express.Router();
  const dir = assetsDir();
  const js = fs.readFileSync(path.join(dir, 'portal.js'), 'utf8');
  const css = fs.readFileSync(path.join(dir, 'portal.css'), 'utf8');
  const settings: PortalSettings = {
    endpoint: '/graphql',
    playground: PLAYGROUND_PATH,
    // Versioned by what goes into it, so a browser never keeps an old subset past a change.
    charts: `${PORTAL_ASSETS}/charts.js?v=${version(CHARTS_ENTRY + echartsVersion())}`,
    dcat: { jsonld: '/catalog/dcat.jsonld', turtle: '/catalog/dcat.ttl' },
  };
  const page = asset('text/html; charset=utf-8', shell(settings, css, js));
  const script = asset('text/javascript; charset=utf-8', js);
  const style = asset('text/css; charset=utf-8', css);
  let charts: Asset | undefined;

  const servePage = (req: Request, res: Response): void => {
    res.set({ 'content-security-policy': PORTAL_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    // The shell holds no data (the script asks for it), so it may be cached briefly.
    sendAsset(req, res, page, 60);
  };
  r.get('/', servePage);
  r.get('/catalog/resources/:code', servePage);
  r.get('/catalog/resources/:classification/:sequence', servePage);
  r.get(`${PORTAL_ASSETS}/portal.js`, (req, res) => sendAsset(req, res, script, 86400));
  r.get(`${PORTAL_ASSETS}/portal.css`, (req, res) => sendAsset(req, res, style, 86400));
  r.get(`${PORTAL_ASSETS}/charts.js`, (req: Request, res: Response, next: NextFunction) => {
    try {
      charts ??= asset('text/javascript; charset=utf-8', chartsBundle());
      sendAsset(req, res, charts, 86400);
    } catch (err) {
      next(err);
    }
  });
  return r;
}
