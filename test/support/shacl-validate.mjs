#!/usr/bin/env node
// Validates RDF documents against the DCAT-AP 3.0.1 SHACL shapes (all three files) with
// rdf-validate-shacl, parsing with @zazuko/env-node's parsers. Both libraries are ESM-only, which
// Jest's CommonJS runtime cannot require, so tests call this script instead (stack.md §9).
//
//   node test/support/shacl-validate.mjs <file> <media type> [<file> <media type> …]
//
// Prints one JSON line per document: { file, mediaType, triples, graphHash, conforms, violations, results }.
// graphHash is a SHA-256 of the sorted N-Triples lines, so two serialisations of a graph without
// blank nodes can be compared.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHAPES_DIR = process.env.DCAT_AP_SHAPES_DIR ?? path.resolve(here, '../fixtures/dcat-ap-3.0.1');
const SHAPE_FILES = ['dcat-ap-SHACL.ttl', 'dcat-ap-ranges.ttl', 'dcat-ap-mdr-vocabularies.ttl'];

async function parse(text, mediaType, baseIRI) {
  const quads = rdf.formats.parsers.import(mediaType, Readable.from([text]), { baseIRI });
  if (!quads) throw new Error(`no parser for ${mediaType}`);
  return rdf.dataset().import(quads);
}

function nt(term) {
  if (term.termType === 'NamedNode') return `<${term.value}>`;
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  const value = JSON.stringify(term.value);
  if (term.language) return `${value}@${term.language}`;
  return term.datatype && term.datatype.value !== 'http://www.w3.org/2001/XMLSchema#string' ? `${value}^^<${term.datatype.value}>` : value;
}

function graphHash(dataset) {
  const lines = [...dataset].map((q) => `${nt(q.subject)} ${nt(q.predicate)} ${nt(q.object)} .`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args.length % 2 !== 0) {
    process.stderr.write('usage: shacl-validate.mjs <file> <media type> [<file> <media type> …]\n');
    process.exit(2);
  }
  const shapes = rdf.dataset();
  for (const f of SHAPE_FILES) {
    const file = path.join(SHAPES_DIR, f);
    if (!fs.existsSync(file)) throw new Error(`missing shapes file ${file} (set DCAT_AP_SHAPES_DIR)`);
    shapes.addAll(await parse(fs.readFileSync(file, 'utf8'), 'text/turtle', `file://${file}`));
  }
  const validator = new SHACLValidator(shapes, { factory: rdf });
  for (let i = 0; i < args.length; i += 2) {
    const [file, mediaType] = [args[i], args[i + 1]];
    const data = await parse(fs.readFileSync(file, 'utf8'), mediaType, 'http://localhost/');
    const report = await validator.validate(data);
    const results = report.results.map((r) => ({
      severity: r.severity?.value.replace('http://www.w3.org/ns/shacl#', ''),
      focusNode: r.focusNode?.value,
      path: r.path?.value,
      value: r.value?.value,
      message: r.message.map((m) => m.value).join(' | '),
      component: r.sourceConstraintComponent?.value.replace('http://www.w3.org/ns/shacl#', ''),
      shape: r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value : undefined,
    }));
    const violations = results.filter((r) => r.severity === 'Violation').length;
    process.stdout.write(JSON.stringify({ file, mediaType, triples: data.size, graphHash: graphHash(data), conforms: report.conforms, violations, results }) + '\n');
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
