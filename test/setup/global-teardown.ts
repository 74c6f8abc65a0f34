import { rmSync } from 'node:fs';
import { dropTemplates } from '../support/templates';

export default async function globalTeardown(): Promise<void> {
  await dropTemplates();
  if (process.env.HUB_TEST_RUN_DIR) rmSync(process.env.HUB_TEST_RUN_DIR, { recursive: true, force: true });
}
