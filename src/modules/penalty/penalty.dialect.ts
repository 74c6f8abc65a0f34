import Decimal from 'decimal.js';
import { PenaltyCategory, PenaltyStatus } from '../../domain/codes';
import { looseDay } from '../dossier/record-fields';
import type { ImportDialect } from '../dossier/record-import';

/** 处罚类别 names of the Administrative Penalty Law, Art. 9, as 双公示 files write them, with common short forms. */
export const PENALTY_CATEGORY_NAMES: Readonly<Record<string, PenaltyCategory>> = {
  警告: PenaltyCategory.WARNING,
  通报批评: PenaltyCategory.CIRCULATED_CRITICISM,
  罚款: PenaltyCategory.FINE,
  没收违法所得: PenaltyCategory.CONFISCATION_OF_ILLEGAL_GAINS,
  没收非法财物: PenaltyCategory.CONFISCATION_OF_ILLEGAL_PROPERTY,
  暂扣许可证件: PenaltyCategory.LICENCE_SUSPENSION,
  暂扣许可证: PenaltyCategory.LICENCE_SUSPENSION,
  暂扣执照: PenaltyCategory.LICENCE_SUSPENSION,
  降低资质等级: PenaltyCategory.QUALIFICATION_DOWNGRADE,
  吊销许可证件: PenaltyCategory.LICENCE_REVOCATION,
  吊销许可证: PenaltyCategory.LICENCE_REVOCATION,
  吊销执照: PenaltyCategory.LICENCE_REVOCATION,
  限制开展生产经营活动: PenaltyCategory.PRODUCTION_RESTRICTION,
  责令停产停业: PenaltyCategory.PRODUCTION_SUSPENSION,
  责令关闭: PenaltyCategory.CLOSURE,
  限制从业: PenaltyCategory.PRACTICE_RESTRICTION,
  行政拘留: PenaltyCategory.ADMINISTRATIVE_DETENTION,
  其他: PenaltyCategory.OTHER,
};

/** CF_CFLB: names separated by ; or 、 (or commas), each to its category code; unknown names stay for the check to report. */
function categories(v: unknown): unknown {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;；、,，]/) : null;
  if (!items) return v;
  return items.map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '').map((x) => (typeof x === 'string' ? PENALTY_CATEGORY_NAMES[x] ?? x : x));
}

/** CF_NR_FK and CF_NR_WFFF are in 万元 (10,000 yuan); the hub keeps yuan. Exact: decimal arithmetic, no float. */
function tenThousandYuan(v: unknown): unknown {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
  if (s === null || !/^\d+(\.\d+)?$/.test(s)) return v;
  return new Decimal(s).times(10000).toFixed();
}

/**
 * The national 双公示 layout of an administrative penalty (CF_* columns, standards §3.1) as an
 * accepted header dialect of penalty imports. Columns the hub does not keep (party name, legal
 * representative, data source unit…) are accepted and ignored; the party's name comes from the
 * enterprise its USCC names. A record in this layout has no status: it is a published decision.
 */
export const PENALTY_SHUANGGONGSHI: ImportDialect = {
  name: '双公示 行政处罚 (CF_*)',
  aliases: {
    CF_WSH: 'decisionNo',
    CF_WFXW: 'violationType',
    CF_SY: 'facts',
    CF_YJ: 'legalBasis',
    CF_CFLB: 'categories',
    CF_NR: 'content',
    CF_NR_FK: 'fineAmount',
    CF_NR_WFFF: 'confiscationAmount',
    CF_JDRQ: 'decisionDate',
    CF_GSJZQ: 'publicityUntil',
    CF_CFJG: 'authorityName',
    CF_CFJGDM: 'authorityUscc',
    CF_XDR_SHXYM: 'uscc',
  },
  ignored: [
    'CF_XDR_MC', 'CF_XDR_LB', 'CF_XDR_GSZC', 'CF_XDR_ZZJG', 'CF_XDR_SWDJ', 'CF_XDR_SYDW', 'CF_XDR_SHZZ', 'CF_FRDB', 'CF_FR_ZJLX',
    'CF_FR_ZJHM', 'CF_XDR_ZJLX', 'CF_XDR_ZJHM', 'CF_NR_ZKDX', 'CF_YXQ', 'CF_SJLY', 'CF_SJLYDM', 'BZ',
  ],
  convert: {
    CF_CFLB: categories,
    CF_NR_FK: tenThousandYuan,
    CF_NR_WFFF: tenThousandYuan,
    CF_JDRQ: looseDay,
    CF_GSJZQ: looseDay,
  },
  defaults: { status: PenaltyStatus.DECIDED },
};
