import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { hubSchema } from '../../src/graphql/schema';
import { defaultSchemaDir, renderSchemaFiles, SCHEMA_FILES } from '../../src/graphql/schema-files';

/** The committed schema files are what the code builds: a change to the API shows in their diff. */
describe('schema/ files', () => {
  const dir = defaultSchemaDir(__dirname);
  let rendered: Record<string, string>;
  beforeAll(async () => {
    rendered = await renderSchemaFiles(await hubSchema());
  });

  test.each(SCHEMA_FILES)('schema/%s is up to date (else run `npm run schema:print` and commit it)', (name) => {
    const file = path.join(dir, name);
    expect(fs.existsSync(file)).toBe(true);
    const committed = fs.readFileSync(file, 'utf8');
    if (committed !== rendered[name]) {
      const a = committed.split('\n');
      const b = rendered[name].split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`schema/${name} is stale: it differs from the code at line ${line + 1}\n  file: ${a[line]}\n  code: ${b[line]}\nRun \`npm run schema:print\` and commit the result.`);
    }
  });

  test('the subgraph SDL links Federation v2 and declares the three entity keys', () => {
    const sdl = rendered['hub.subgraph.graphql'];
    expect(() => parse(sdl)).not.toThrow();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.3"');
    expect(sdl).toMatch(/type Enterprise\s+@key\(fields: "uscc"\)/);
    expect(sdl).toMatch(/type MonitoringStation\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type CatalogResource\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/^scalar USCC/m);
  });

  test('the client schema carries the federation entry points next to the API', () => {
    const api = rendered['hub.graphql'];
    expect(api).toMatch(/_entities\(representations: \[_Any!\]!\): \[_Entity\]!/);
    expect(api).toContain('union _Entity = CatalogResource | Enterprise | MonitoringStation');
    expect(api).toMatch(/enterprise\(uscc: USCC!\): Enterprise/);
  });
});
