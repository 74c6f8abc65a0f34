import fs from 'node:fs';
import path from 'node:path';

/*
 * The portal's charts: a subset of Apache ECharts with only what the pages draw (bar and line
 * charts on a grid, tooltips, a mark line, the canvas renderer), bundled by esbuild into one ES
 * module the hub serves from its own origin. The full pre-built echarts.min.js is 1.1 MB and the
 * smallest pre-built one (echarts.simple.min.js, 500 KB) has no tooltip or mark line; this subset
 * is about 540 KB (185 KB gzipped).
 *
 * `npm run build` writes it to dist/portal/ (src/portal/build.ts), and the compiled hub serves that
 * file, so a production install needs neither esbuild nor echarts. Run from the TypeScript sources
 * (tests, `npm run dev`), the hub builds it in memory on the first request, once per process.
 */

/** The ECharts parts the portal uses; a chart or component not listed here is not in the bundle. */
export const CHARTS_ENTRY = `
import { use, init, getInstanceByDom } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
use([BarChart, LineChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);
export { init, getInstanceByDom };
`;

const BANNER = '/*! Apache ECharts (Apache-2.0) and ZRender (BSD-3-Clause), https://echarts.apache.org: the subset the Eco-hub portal draws with. */';

/** The repository root (the folder with package.json and catalog/), from src/portal or dist/src/portal. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'catalog'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package root above ${from}`);
  }
}

/** Where `npm run build` puts the bundle. */
export function builtChartsPath(root: string = packageRoot()): string {
  return path.join(root, 'dist', 'portal', 'charts.js');
}

/** Whether this code runs compiled (from dist/), where the bundle must have been built with it. */
function runsCompiled(): boolean {
  return __dirname.split(path.sep).includes('dist');
}

/** Bundles the subset with esbuild (a development dependency); minified ES2020 module text. */
export function buildChartsBundle(root: string = packageRoot()): string {
  // Loaded only here: the compiled hub serves the built file and never needs esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    stdin: { contents: CHARTS_ENTRY, resolveDir: root, sourcefile: 'portal-charts.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    banner: { js: BANNER },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

let cached: string | undefined;

/**
 * The bundle's text: the built file when the hub runs compiled, else built in memory once. A
 * compiled hub without the file is a broken build, reported as such.
 */
export function chartsBundle(): string {
  if (cached !== undefined) return cached;
  if (runsCompiled()) {
    const file = builtChartsPath();
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\`, which bundles the portal's charts`);
    cached = fs.readFileSync(file, 'utf8');
  } else {
    cached = buildChartsBundle();
  }
  return cached;
}
