import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnforcementCheckArgs, runEnforcementCheck } from '../../src/cli/enforcement-check';
import { formatDataProblem } from '../../src/domain/enforcement/data-files';
import { checkEnforcementFiles, ENFORCEMENT_DATA_DIR } from '../../src/domain/enforcement/registry';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enforcement-data-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the bundled data directory to break. */
function copyData(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'data-'));
  fs.cpSync(ENFORCEMENT_DATA_DIR, dir, { recursive: true });
  return dir;
}

describe('the bundled enforcement data', () => {
  test('is clean when read from its files, and every file is bundled', () => {
    const { data, problems } = checkEnforcementFiles();
    expect(problems.map(formatDataProblem)).toEqual([]);
    expect(data!.discretionTables.map((s) => s.version)).toEqual(['YRD-ILLUSTRATIVE-1', 'YRD-ILLUSTRATIVE-2']);
    expect(data!.minorViolationLists.map((l) => l.listId)).toEqual(['EXAMPLE-PATTERNS-1']);
    expect(data!.deadlineRules.map((r) => r.version)).toEqual(['CASE-PROCEDURE-2023']);
  });

  test('every discretion table and list is marked illustrative until official data is loaded', () => {
    const { data } = checkEnforcementFiles();
    expect(data!.discretionTables.every((s) => s.illustrative)).toBe(true);
    expect(data!.minorViolationLists.every((l) => l.illustrative)).toBe(true);
  });

  test('a data file that is not bundled is a problem (the hub would not serve it)', () => {
    const dir = copyData();
    fs.writeFileSync(path.join(dir, 'minor-violations', 'yrd-2023.json'), '{}');
    const { problems } = checkEnforcementFiles([], dir);
    expect(problems.map((p) => p.message)).toEqual(['not bundled: import it in src/domain/enforcement/registry.ts (BUNDLED_FILES), or the hub will not serve it']);
  });

  test('a broken bundled file is reported with its file and line', () => {
    const dir = copyData();
    const file = path.join(dir, 'discretion', 'yrd-illustrative-1.json');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"percent": "32"'));
    lines[at] = lines[at].replace('"percent": "32"', '"percent": "132"');
    fs.writeFileSync(file, lines.join('\n'));
    const { data, problems } = checkEnforcementFiles([], dir);
    expect(data).toBeUndefined();
    expect(problems).toEqual([{ file: expect.stringMatching(/discretion\/yrd-illustrative-1\.json$/), line: at + 1, message: 'AIR_LAW_99 IMPACT.SERIOUS: percent 132 is outside −100..100' }]);
  });
});

describe('npm run enforcement:check', () => {
  test('reads repeated --kind <file> arguments; anything else is a usage error', () => {
    expect(parseEnforcementCheckArgs(['--minor-violations', 'a.yaml', '--discretion=b.json'])).toEqual({ files: [{ kind: 'minor-violations', path: 'a.yaml' }, { kind: 'discretion', path: 'b.json' }] });
    expect(parseEnforcementCheckArgs(['--minor-violations'])).toMatchObject({ error: 'unknown or incomplete argument: --minor-violations' });
    expect(parseEnforcementCheckArgs(['--catalog', 'x'])).toMatchObject({ error: 'unknown or incomplete argument: --catalog' });
  });

  test('exits 0 on the bundled data with a summary', () => {
    const out: string[] = [];
    expect(runEnforcementCheck([], (l) => out.push(l))).toBe(0);
    expect(out).toEqual(['2 discretion table versions (7 entries), 1 minor-violation lists (3 items), 15 deadline timers; 0 problems']);
  });

  test('checks an official list given as YAML beside the bundled data: its problems by line, exit 1', () => {
    const file = path.join(tmp, 'yrd-2023.yaml');
    fs.writeFileSync(file, `listId: EXAMPLE-PATTERNS-1
title: 长江三角洲区域生态环境领域轻微违法行为依法不予行政处罚清单
issuer: 沪苏浙皖生态环境厅（局）、司法厅（局）
jurisdictions: [QINGPU, WUJIANG, JIASHAN]
validFrom: 2023-07-01
source: the official text
illustrative: false
items:
  - itemNo: 1
    violationCode: WATER_LAW_83
    description: d
    legalBasis: b
    mode: MINOR_NO_HARM
    conditions:
      - { kind: CORRECTED_WITHIN, within: { amount: 3, unit: DAYZ } }
      - { kind: HARM_AT_MOST, level: NONE }
`);
    const out: string[] = [];
    expect(runEnforcementCheck([{ kind: 'minor-violations', path: file }], (l) => out.push(l))).toBe(1);
    expect(out).toEqual([`${file}:15: items[0].conditions[0].within.unit: must be one of HOURS, DAYS, WORKING_DAYS, SAME_DAY`, 'enforcement data not loaded; 1 problem']);
    // Fixed, it still clashes with the bundled example list's id.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('DAYZ', 'DAYS'));
    const again: string[] = [];
    expect(runEnforcementCheck([{ kind: 'minor-violations', path: file }], (l) => again.push(l))).toBe(1);
    expect(again[0]).toBe(`${file}:1: minor-violation list EXAMPLE-PATTERNS-1 is also in ${path.relative(process.cwd(), path.join(ENFORCEMENT_DATA_DIR, 'minor-violations/example-patterns.json'))}`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('listId: EXAMPLE-PATTERNS-1', 'listId: YRD-2023'));
    expect(runEnforcementCheck([{ kind: 'minor-violations', path: file }], () => undefined)).toBe(0);
  });
});
