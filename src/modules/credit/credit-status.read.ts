import { readScope, RecordType } from '../../auth/policy';
import { CREDIT_LEVELS } from '../../domain/codes';
import type { Compiler, FieldSql, LevelRef } from '../../read/compile';
import type { SelectedField } from '../../read/selection';

/** `creditStatus` in a report of what was withheld from the answer. */
export const CREDIT_STATUS_FIELD = 'Enterprise.creditStatus';

function levelNames(): string {
  const rows = Object.entries(CREDIT_LEVELS).flatMap(([scheme, levels]) =>
    Object.entries(levels).map(([level, name]) => `('${scheme}', '${level}', '${name.replace(/'/g, "''")}')`));
  return `(VALUES ${rows.join(', ')}) v(scheme, level, name)`;
}

const LEVEL_NAMES = levelNames();

/**
 * An enterprise's credit status as the read engine computes it: the latest evaluation and the
 * newest listing in force (not removed, not past its validity today), from the credit records
 * the caller may read. Where the caller may not read the owner's credit records the status is
 * null and the response says it was withheld: never "not blacklisted" about a listed firm.
 * `denyHidden` (the root `creditStatus(uscc)`) audits such an owner as a denied read.
 */
export function compileCreditStatus(c: Compiler, parent: LevelRef, field: SelectedField, denyHidden = false, path = 'creditStatus.'): FieldSql {
  const scope = readScope(c.cx.access, RecordType.CREDIT_RECORD);
  const owners = c.q.p(scope.districts);
  const recordScope = (a: string) => c.scope(RecordType.CREDIT_RECORD, a);
  const today = c.q.p(c.cx.today);
  const cte = c.name('c');
  c.addCte(cte, `SELECT p.id AS __p,
      ev.record_no AS ev_no, ev.scheme AS ev_scheme, ev.level AS ev_level, ev.evaluation_year AS ev_year, ev.issuer AS ev_issuer, ev.owner_jurisdiction AS ev_o,
      li.record_no AS li_no, li.listing_reason AS li_reason, li.listing_legal_basis AS li_basis, li.effective_on AS li_on, li.valid_until AS li_until, li.owner_jurisdiction AS li_o
    FROM ${parent.rows} p
    LEFT JOIN LATERAL (SELECT t.* FROM credit_record t WHERE t.enterprise_id = p.id AND t.kind = 'EVALUATION' AND t.withdrawn_at IS NULL AND ${recordScope('t')}
      ORDER BY t.effective_on DESC, t.record_no DESC LIMIT 1) ev ON true
    LEFT JOIN LATERAL (SELECT t.* FROM credit_record t WHERE t.enterprise_id = p.id AND t.kind = 'LISTING' AND t.withdrawn_at IS NULL AND ${recordScope('t')}
      AND t.removed_on IS NULL AND (t.valid_until IS NULL OR t.valid_until >= ${today}::date)
      ORDER BY t.effective_on DESC, t.record_no DESC LIMIT 1) li ON true
    WHERE ${parent.released('p')} AND p.owner_jurisdiction = ANY(${owners}::varchar[])`);
  // The records the status was computed from are released to the caller.
  c.audit(RecordType.CREDIT_RECORD, `SELECT $TYPE AS t, x.ev_o AS o, false AS m, false AS d, x.ev_no::text AS k, x.__p AS e FROM ${cte} x WHERE x.ev_no IS NOT NULL
    UNION ALL SELECT $TYPE, x.li_o, false, false, x.li_no::text, x.__p FROM ${cte} x WHERE x.li_no IS NOT NULL`);
  const hidden = `(SELECT coalesce(json_agg(DISTINCT p.owner_jurisdiction), '[]'::json) FROM ${parent.rows} p WHERE ${parent.released('p')} AND NOT (p.owner_jurisdiction = ANY(${owners}::varchar[])))`;
  if (denyHidden) {
    c.audit(RecordType.CREDIT_RECORD, `SELECT $TYPE AS t, p.owner_jurisdiction AS o, false AS m, true AS d, NULL::text AS k, p.id AS e FROM ${parent.rows} p
      WHERE NOT (p.owner_jurisdiction = ANY(${owners}::varchar[]))`);
  } else {
    c.withheldFor(CREDIT_STATUS_FIELD, hidden);
  }

  const x = `${cte}`;
  const pairs: Array<[string, string]> = [];
  for (const s of c.sub(field).values()) {
    const v = ((): string => {
      switch (s.field.name) {
        case '__typename': return c.typename(field);
        case 'scheme': return `${x}.ev_scheme`;
        case 'level': return `${x}.ev_level`;
        case 'levelName': return `(SELECT v.name FROM ${LEVEL_NAMES} WHERE v.scheme = ${x}.ev_scheme AND v.level = ${x}.ev_level)`;
        case 'evaluationYear': return `${x}.ev_year`;
        case 'issuer': return `${x}.ev_issuer`;
        case 'blacklisted': return `(${x}.li_no IS NOT NULL)`;
        case 'listing': {
          const listing: Array<[string, string]> = [];
          for (const l of c.sub(s).values()) {
            const lv = {
              reason: `coalesce(${x}.li_reason, '')`, legalBasis: `${x}.li_basis`, decisionNo: `${x}.li_no`, listedAt: `${x}.li_on`, validUntil: `${x}.li_until`,
              __typename: c.typename(s),
            }[l.field.name];
            if (!lv) throw new Error(`CreditListing.${l.field.name} is not known to the read engine`);
            listing.push([l.key, l.field.name === '__typename' ? lv : c.leaf(l, lv, `${path}${s.responseKey}.${l.responseKey}`)]);
          }
          return `CASE WHEN ${x}.li_no IS NULL THEN NULL ELSE ${c.object(listing)} END`;
        }
        default: throw new Error(`CreditStatus.${s.field.name} is not known to the read engine`);
      }
    })();
    pairs.push([s.key, s.field.name === 'listing' || s.field.name === '__typename' ? v : c.leaf(s, v, `${path}${s.responseKey}`)]);
  }
  return {
    expr: `CASE WHEN ${x}.__p IS NULL THEN NULL ELSE ${c.object(pairs)} END`,
    joins: [`LEFT JOIN ${cte} ON ${cte}.__p = r.id`],
  };
}
