import fs from 'node:fs';
import path from 'node:path';
import { buildChartsBundle, builtChartsPath } from './charts-bundle';

/**
 * `npm run build` step: writes the portal's ECharts subset to dist/portal/charts.js, so the
 * compiled hub serves it without esbuild or echarts installed.
 */
const file = builtChartsPath();
fs.mkdirSync(path.dirname(file), { recursive: true });
const text = buildChartsBundle();
fs.writeFileSync(file, text);
process.stdout.write(`portal charts: ${path.relative(process.cwd(), file)} (${Math.round(Buffer.byteLength(text) / 1024)} KB)\n`);
