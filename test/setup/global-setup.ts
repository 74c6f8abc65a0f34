import os from 'node:os';
import path from 'node:path';
import { buildTemplates } from '../support/templates';

/** Builds the migrated (and the seeded) template database once for the whole run. */
export default async function globalSetup(): Promise<void> {
  process.env.HUB_TEST_RUN_DIR = path.join(os.tmpdir(), `eco-hub-test-${process.pid}`);
  await buildTemplates();
}
