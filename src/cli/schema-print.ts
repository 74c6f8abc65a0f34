import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { defaultSchemaDir, renderSchemaFiles } from '../graphql/schema-files';
import { hubSchema } from '../graphql/schema';
import { runCli } from './args';

/** `npm run schema:print`: writes schema/hub.graphql and schema/hub.subgraph.graphql from the code. */
runCli(async () => {
  const dir = defaultSchemaDir();
  fs.mkdirSync(dir, { recursive: true });
  const files = await renderSchemaFiles(await hubSchema());
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    fs.writeFileSync(file, content);
    process.stdout.write(`${path.relative(process.cwd(), file)}: ${before === content ? 'unchanged' : before === null ? 'written' : 'updated'}\n`);
  }
});
