/*
 * The part of n3 (2.x, which ships no type declarations; @types/n3 describes 1.x) the hub uses:
 * the data factory and the Turtle writer of the DCAT export (src/modules/catalog/dcat.ts).
 */
declare module 'n3' {
  export interface Term {
    termType: string;
    value: string;
  }
  export interface NamedNode extends Term {
    termType: 'NamedNode';
  }
  export interface Literal extends Term {
    termType: 'Literal';
    language: string;
    datatype: NamedNode;
  }
  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
  }
  export const DataFactory: {
    namedNode(iri: string): NamedNode;
    literal(value: string, languageOrDatatype?: string | NamedNode): Literal;
    quad(subject: Term, predicate: Term, object: Term): Quad;
  };
  export class Writer {
    constructor(options?: { prefixes?: Record<string, string>; format?: string });
    addQuad(subject: Term, predicate: Term, object: Term): void;
    addQuad(quad: Quad): void;
    end(done: (error: Error | null, result: string) => void): void;
  }
}
