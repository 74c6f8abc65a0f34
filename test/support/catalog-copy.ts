import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../../src/modules/catalog';

/** The repository's catalog/ folder. */
export const CATALOG_DIR = path.resolve(__dirname, '../../catalog');

const tempDirs: string[] = [];

/** A private copy of the real catalog to change one thing in; removed by `removeCatalogCopies`. */
export function copyCatalog(prefix = 'eco-hub-catalog-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  fs.cpSync(CATALOG_DIR, dir, { recursive: true });
  return dir;
}

/** Rewrites one file of a copy; fails the test if the edit changed nothing (a stale fixture). */
export function editCatalogFile(dir: string, rel: string, change: (text: string) => string): void {
  const file = path.join(dir, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
}

export function removeCatalogCopies(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

let version = 1000;

/**
 * The catalog under a version newer than any loaded before it in this test file: a test that
 * changes and reloads the catalog loads each change as a new version, as the files would say.
 */
export function newer(catalog: Catalog): Catalog {
  return { ...catalog, version: ++version };
}
