import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult, GraphQLResolveInfo } from 'graphql';

/**
 * A root field's answer as JSON text that PostgreSQL wrote already shaped for the field's
 * selection: response keys in response order, `__typename` where asked, every leaf as its scalar
 * serializes it, and every non-null field proven non-null inside the statement (docs/architecture.md,
 * "Answers written by PostgreSQL"). The text goes into the HTTP response as it is (`stringifyResult`):
 * no parse, no projection, no serialization in the hub.
 *
 * Anything else that meets one (a plain `JSON.stringify`, a subscription transport) gets the
 * parsed value through `toJSON`, so the answer is the same whichever way it is written.
 */
export class ShapedJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** Resolve infos of root fields whose answer goes into `data` untouched (the pre-shaped path builds them). */
const TEXT_WANTED = new WeakSet<GraphQLResolveInfo>();

/** Marks a root field's resolve info: its value is put into `data` as it is, so it may be ShapedJson. */
export function wantShapedJson(info: GraphQLResolveInfo): void {
  TEXT_WANTED.add(info);
}

/** Whether the field `info` resolves may answer with ShapedJson (its value goes into `data` untouched). */
export function wantsShapedJson(info: GraphQLResolveInfo): boolean {
  return TEXT_WANTED.has(info);
}

/** A placeholder no answer can contain (it holds a random value of this process): written for each ShapedJson, then replaced by its text. */
const SLOT = `\u0000shaped-json:${randomUUID()}\u0000`;
const SLOT_JSON = JSON.stringify(SLOT);

/**
 * Apollo Server's `stringifyResult`: the result as JSON, with each ShapedJson in `data` spliced in
 * as its text (the default writes `JSON.stringify(result)` and a newline, and so does this).
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const data = result.data;
  if (!data) return JSON.stringify(result) + '\n';
  let texts: string[] | null = null;
  let slotted: Record<string, unknown> | null = null;
  for (const key of Object.keys(data)) {
    const v = data[key];
    if (!(v instanceof ShapedJson)) continue;
    texts ??= [];
    slotted ??= { ...data };
    texts.push(v.text);
    slotted[key] = SLOT;
  }
  if (!texts) return JSON.stringify(result) + '\n';
  const parts = JSON.stringify({ ...result, data: slotted }).split(SLOT_JSON);
  if (parts.length !== texts.length + 1) return JSON.stringify(result) + '\n';
  let out = parts[0];
  for (let i = 1; i < parts.length; i++) out += texts[i - 1] + parts[i];
  return out + '\n';
}
