import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult, GraphQLResolveInfo } from 'graphql';

/**
 * A root field's answer as JSON that PostgreSQL wrote already shaped for the field's selection:
 * response keys in response order, `__typename` where asked, every leaf as its scalar serializes
 * it, every non-null field proven non-null inside the statement (docs/architecture.md, "Answers
 * written as the response"). The hub never parses, projects or serializes it: it holds the text
 * node-postgres hands over, and the response writes it to the socket as it is, between the parts
 * of the body around it (`stringifyResult` leaves a slot for it, `spliceShaped` fills it).
 *
 * Anything else that meets one (a plain `JSON.stringify`, a subscription transport) gets the
 * parsed value through `toJSON`, so the answer is the same whichever way it is written.
 *
 * **One holder at a time.** An answer is a large string (a list page of Chinese text is a 150 KB
 * two-byte string) that passes through objects made before its statement ran: async functions'
 * frames, graphql-js's and Apollo's result objects. Any of those that lived through a young
 * collection while the statement ran sits in V8's old generation, and whatever it still points
 * to survives every later young collection, dead or not, until the next full one. Measured under
 * the list at 8 connections, nearly every answer was kept so and promoted: 150 MB of dead answers
 * in large-object space at the RSS peak (docs/performance.md, "Answers that outlived their
 * request"). So whoever hands the text on lets go of it: the engine moves it out of the
 * statement's row, `take()` moves it out of here, and the handler empties its parts once written.
 */
export class ShapedJson {
  private text: string | null;

  constructor(text: string) {
    this.text = text;
  }

  /** The text, handed over once: this holder lets go of it (see above). */
  take(): string {
    const text = this.held();
    this.text = null;
    return text;
  }

  toJSON(): unknown {
    return JSON.parse(this.held());
  }

  /** The text while this holder has it; after the hand-over, an error rather than an empty answer. */
  private held(): string {
    if (this.text === null) throw new Error('a pre-shaped answer was handed over already');
    return this.text;
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

/**
 * Slots for answers between `stringifyResult` and the HTTP handler that sends them: `<prefix><n>`
 * written as a JSON string, which no answer can contain (the prefix holds a NUL and a random value
 * of this process). Each slot is taken out by the handler of the same request, in the same tick
 * chain, right after Apollo returns the body.
 */
const SLOT_PREFIX = `\u0000shaped-json:${randomUUID()}:`;
const SLOT_QUOTED_PREFIX = JSON.stringify(SLOT_PREFIX).slice(0, -1);
const slots = new Map<number, string>();
let nextSlot = 0;

/**
 * Apollo Server's `stringifyResult`: `JSON.stringify(result)` and a newline, as Apollo's own, with
 * each ShapedJson in `data` left as a slot for `spliceShaped`.
 */
export function stringifyResult(result: FormattedExecutionResult): string {
  const data = result.data;
  if (!data) return JSON.stringify(result) + '\n';
  let slotted: Record<string, unknown> | null = null;
  for (const key of Object.keys(data)) {
    const v = data[key];
    if (!(v instanceof ShapedJson)) continue;
    slotted ??= { ...data };
    const n = nextSlot++;
    slots.set(n, v.take());
    slotted[key] = `${SLOT_PREFIX}${n}`;
  }
  return JSON.stringify(slotted ? { ...result, data: slotted } : result) + '\n';
}

/**
 * A response body with its slots filled, as the parts to write in order (the answers' texts
 * between the pieces of the body around them): none is copied into a string of the whole body.
 * The body itself where it has no slot. Throws where a slot's answer is not there (never sent as is).
 */
export function spliceShaped(body: string): string | string[] {
  let at = body.indexOf(SLOT_QUOTED_PREFIX);
  if (at < 0) return body;
  const parts: string[] = [];
  let from = 0;
  let missing = false;
  // Every slot of the body is taken out of the map, even when one is missing, so none stays behind.
  while (at >= 0) {
    const end = body.indexOf('"', at + SLOT_QUOTED_PREFIX.length);
    if (end < 0) throw new Error('a pre-shaped answer\'s slot is cut short');
    const n = Number(body.slice(at + SLOT_QUOTED_PREFIX.length, end));
    const text = slots.get(n);
    slots.delete(n);
    if (text !== undefined) parts.push(body.slice(from, at), text);
    else missing = true;
    from = end + 1;
    at = body.indexOf(SLOT_QUOTED_PREFIX, from);
  }
  if (missing) throw new Error('a pre-shaped answer is missing from its response');
  parts.push(body.slice(from));
  return parts;
}
