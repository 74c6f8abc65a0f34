import { MASK_RULES, RecordType } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { CreditScheme } from '../../domain/codes';
import { DISTRICTS, District, jurisdictionInfo, provinceOf } from '../../domain/jurisdictions';

/**
 * The one shape of a credit-feed entry, written as SQL: PostgreSQL builds each entry's JSON from
 * the change-log row (the record as the writer stored it with the change) and the enterprise (its
 * name when the writer left it out, its legal representative, masked by the policy), so the
 * GraphQL page, the NDJSON stream and the snapshot serve the same text, and the stream writes it
 * without parsing or serializing a row in Node.
 *
 * Aliases: `c` the change_log row, `e` the enterprise (LEFT JOIN on c.enterprise_id), and `k` the
 * lateral of `FEED_KIND_LATERAL` (the record kind).
 */

const TAG = 'CREDIT_FEED';

/**
 * A change's record kind and feed op, computed once per row (`k.kind`, `k.op`).
 *
 * Kind: the writer says so in `payload.kind`; older entries are told by their op and fields.
 * Op: the credit type logs LISTED, UPDATED, REMOVED, WITHDRAWN and EVALUATED; generic ops of other
 * writers are mapped rather than dropped, because a change the platform never sees is worse than
 * one under a broader name. Entries keep the op they were logged with (a re-pull from the start
 * gives the same ops as the first pull).
 */
export const FEED_KIND_LATERAL = `CROSS JOIN LATERAL (SELECT x.kind, CASE
    WHEN c.op IN ('LISTED', 'UPDATED', 'REMOVED', 'WITHDRAWN', 'EVALUATED') THEN c.op::text
    WHEN c.op = 'INSERTED' THEN CASE x.kind WHEN 'LISTING' THEN 'LISTED' ELSE 'EVALUATED' END
    WHEN c.op = 'DELETED' THEN 'REMOVED' ELSE 'UPDATED' END AS op
  FROM (SELECT CASE
    WHEN c.payload->>'kind' IN ('LISTING', 'EVALUATION') THEN c.payload->>'kind'
    WHEN c.op = 'EVALUATED' THEN 'EVALUATION'
    WHEN c.op = 'LISTED' THEN 'LISTING'
    WHEN coalesce(c.payload->>'scheme', c.payload->>'level', c.payload->>'year') IS NOT NULL
      AND coalesce(c.payload->>'reason', c.payload->>'legalBasis', c.payload->>'listedAt', c.payload->>'validUntil', c.payload->>'removedOn') IS NULL THEN 'EVALUATION'
    ELSE 'LISTING' END AS kind) x) k`;

/** The feed op of the row (see FEED_KIND_LATERAL). */
export const FEED_OP_SQL = 'k.op';

const PROVINCE_CODE_SQL = `(CASE c.owner_jurisdiction ${DISTRICTS.map((d: District) => `WHEN '${d}' THEN '${jurisdictionInfo(provinceOf(d)).divisionCode}'`).join(' ')} END)`;

const txt = (k: string) => `nullif(c.payload->>'${k}', '')`;
const day = (k: string) => `(CASE WHEN c.payload->>'${k}' ~ '^\\d{4}-\\d{2}-\\d{2}' THEN left(c.payload->>'${k}', 10) END)`;
const SCHEMES = Object.values(CreditScheme).map((s) => `'${s}'`).join(', ');

/** Why a REMOVED listing left the list: as logged, or for entries from before it was logged, from the expiry note. */
const REMOVAL_REASON_SQL = `(CASE WHEN k.op <> 'REMOVED' THEN NULL
    WHEN c.payload->>'removalReason' IN ('EXPIRED', 'REMOVAL_DECISION', 'REPAIRED') THEN c.payload->>'removalReason'
    WHEN c.payload->>'removal' = 'EXPIRED' THEN 'EXPIRED' ELSE 'REMOVAL_DECISION' END)`;

/** The cursor of an entry, as `feedCursor` makes it: base64url of ["CREDIT_FEED","<seq>"]. */
export const FEED_CURSOR_SQL = `translate(encode(convert_to('["${TAG}","' || c.seq::text || '"]', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** When the legal representative's ID number is shown in full, as SQL on the change's owner (the policy's mask rule). */
function idInFull(p: Principal): string {
  const c = MASK_RULES.legalRepresentativeId.fullWhen(p);
  if ('always' in c) return 'true';
  if ('never' in c) return 'false';
  return `c.owner_jurisdiction IN (${c.in.map((d) => `'${d}'`).join(', ') || 'NULL'})`;
}

/** Whether the entry's legal-representative ID number is masked for this principal (for the audit log). */
export function idMaskedSql(p: Principal): string {
  return `(e.legal_rep_id_number IS NOT NULL AND NOT (${idInFull(p)}))`;
}

/** The entry's JSON (type json) for principal `p`. */
export function feedEntrySql(p: Principal): string {
  const listing = `json_build_object(
      'reason', ${txt('reason')}, 'legalBasis', ${txt('legalBasis')}, 'decisionNo', coalesce(${txt('decisionNo')}, c.record_key),
      'authority', ${txt('issuer')}, 'authorityUscc', ${txt('issuerUscc')},
      'listedAt', ${day('listedAt')}, 'validUntil', ${day('validUntil')}, 'removedOn', ${day('removedOn')}, 'removalReason', ${REMOVAL_REASON_SQL})`;
  const evaluation = `json_build_object(
      'scheme', CASE WHEN c.payload->>'scheme' IN (${SCHEMES}) THEN c.payload->>'scheme' END, 'level', ${txt('level')}, 'levelName', ${txt('levelName')},
      'year', CASE WHEN c.payload->>'year' ~ '^-?\\d{1,9}$' THEN (c.payload->>'year')::int END,
      'issuer', ${txt('issuer')}, 'issuerUscc', ${txt('issuerUscc')})`;
  return `json_build_object(
    'cursor', ${FEED_CURSOR_SQL}, 'op', ${FEED_OP_SQL}, 'kind', k.kind,
    'uscc', c.uscc, 'enterpriseName', coalesce(${txt('enterpriseName')}, e.name),
    'legalRepresentative', CASE WHEN e.legal_rep_name IS NULL AND e.legal_rep_id_number IS NULL THEN NULL ELSE json_build_object(
      'name', e.legal_rep_name, 'idNumber', CASE WHEN ${idInFull(p)} THEN e.legal_rep_id_number ELSE hub_mask_id(e.legal_rep_id_number) END) END,
    'jurisdiction', c.owner_jurisdiction, 'provinceCode', ${PROVINCE_CODE_SQL}, 'recordNo', c.record_key,
    'withdrawnAt', CASE WHEN c.payload->>'withdrawnAt' IS NOT NULL
      THEN to_char((c.payload->>'withdrawnAt')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
    'withdrawalReason', ${txt('withdrawalReason')},
    'listing', CASE WHEN k.kind = 'LISTING' THEN ${listing} END,
    'evaluation', CASE WHEN k.kind = 'EVALUATION' THEN ${evaluation} END,
    'at', to_char(c.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
}

/** The feed's rows: credit changes with their enterprise and kind. */
export const FEED_FROM = `FROM change_log c LEFT JOIN enterprise e ON e.id = c.enterprise_id ${FEED_KIND_LATERAL}`;

export const CREDIT_TYPE = RecordType.CREDIT_RECORD;
