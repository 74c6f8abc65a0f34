import { MASK_RULES, RecordType } from '../../auth/policy';
import { Principal } from '../../auth/principal';

/**
 * The one shape of a credit-feed entry, as text PostgreSQL hands out: the entry stored with each
 * change (its shape is the append trigger's, migration CreditFeedEntry1799100000000) behind the
 * cursor, the time and the legal representative. The GraphQL page, the NDJSON stream and the
 * snapshot serve the same text, and the stream writes it without parsing or serializing a row.
 *
 * Aliases: `c` the change_log row, `e` the enterprise (LEFT JOIN on c.enterprise_id).
 */

const TAG = 'CREDIT_FEED';

/** A change's record kind (LISTING, EVALUATION) and feed op, as the append trigger stored them (migration CreditFeedEntry1799100000000). */
export const FEED_KIND_SQL = 'c.feed_kind';
export const FEED_OP_SQL = 'c.feed_op';

/** The cursor of an entry, as `feedCursor` makes it: base64url of ["CREDIT_FEED","<seq>"]. */
export const FEED_CURSOR_SQL = `translate(encode(convert_to('["${TAG}","' || c.seq::text || '"]', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** When the legal representative's ID number is shown in full, as SQL on the change's owner (the policy's mask rule). */
function idInFull(p: Principal): string {
  const c = MASK_RULES.legalRepresentativeId.fullWhen(p);
  if ('always' in c) return 'true';
  if ('never' in c) return 'false';
  if (!('column' in c)) throw new Error('the legal representative\'s mask rule is a condition on the owner district only');
  return `c.owner_jurisdiction IN (${c.in.map((d) => `'${d}'`).join(', ') || 'NULL'})`;
}

/** Whether the entry's legal-representative ID number is masked for this principal (for the audit log). */
export function idMaskedSql(p: Principal): string {
  return `(e.legal_rep_id_number IS NOT NULL AND NOT (${idInFull(p)}))`;
}

const INSTANT = (v: string) => `to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The entry's JSON text for principal `p`: the stored entry (`c.entry`, shaped when the change was
 * appended) behind what depends on the row's position and the reader — the cursor, the time and
 * the legal representative (the enterprise's now, its ID masked by the policy). No row's payload is
 * read and no entry is rebuilt: a chunk of a thousand is a thousand concatenations.
 */
export function feedEntrySql(p: Principal): string {
  const lr = `CASE WHEN e.legal_rep_name IS NULL AND e.legal_rep_id_number IS NULL THEN 'null' ELSE json_build_object(
      'name', e.legal_rep_name, 'idNumber', CASE WHEN ${idInFull(p)} THEN e.legal_rep_id_number ELSE hub_mask_id(e.legal_rep_id_number) END)::text END`;
  return `('{"cursor":"' || ${FEED_CURSOR_SQL} || '","at":"' || ${INSTANT('c.at')} || '","legalRepresentative":' || ${lr} || ',' || substr(c.entry, 2))`;
}

/** The feed's rows: credit changes with their enterprise and kind. */
export const FEED_FROM = 'FROM change_log c LEFT JOIN enterprise e ON e.id = c.enterprise_id';

export const CREDIT_TYPE = RecordType.CREDIT_RECORD;
