import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { CreditScheme, creditLevelName } from '../../domain/codes';
import { CreditRecord, CreditRecordKind } from './credit-record.entity';

@ObjectType({ description: 'A serious-dishonesty listing (严重失信名单) in force.' })
export class CreditListing {
  @Field() reason: string;
  @Field(() => String, { nullable: true }) legalBasis: string | null;
  @Field() decisionNo: string;
  @Field(() => DateResolver) listedAt: string;
  @Field(() => DateResolver, { nullable: true }) validUntil: string | null;
}

@ObjectType({ description: 'An enterprise\'s environmental credit now: its latest evaluation and any listing in force.' })
export class CreditStatus {
  @Field(() => CreditScheme, { nullable: true }) scheme: CreditScheme | null;
  @Field(() => String, { nullable: true }) level: string | null;
  @Field(() => String, { nullable: true, description: 'The level\'s name in its scheme (e.g. 环保诚信企业, 黑色).' }) levelName: string | null;
  @Field(() => Int, { nullable: true }) evaluationYear: number | null;
  @Field(() => String, { nullable: true }) issuer: string | null;
  @Field({ description: 'True while a serious-dishonesty listing is in force (from the list, not from the grade).' }) blacklisted: boolean;
  @Field(() => CreditListing, { nullable: true }) listing: CreditListing | null;
}

/**
 * The credit status from an enterprise's visible credit records: the latest evaluation, and the
 * newest listing that is neither removed nor past its validity on `today` (YYYY-MM-DD).
 */
export function creditStatusOf(records: readonly CreditRecord[], today: string): CreditStatus {
  const evaluations = records.filter((r) => r.kind === CreditRecordKind.EVALUATION).sort((a, b) => b.effectiveOn.localeCompare(a.effectiveOn));
  const listings = records
    .filter((r) => r.kind === CreditRecordKind.LISTING && !r.removedOn && (!r.validUntil || r.validUntil >= today))
    .sort((a, b) => b.effectiveOn.localeCompare(a.effectiveOn));
  const e = evaluations[0];
  const l = listings[0];
  return {
    scheme: e?.scheme ?? null,
    level: e?.level ?? null,
    levelName: e?.scheme && e.level ? creditLevelName(e.scheme, e.level) ?? null : null,
    evaluationYear: e?.evaluationYear ?? null,
    issuer: e?.issuer ?? null,
    blacklisted: !!l,
    listing: l ? { reason: l.listingReason ?? '', legalBasis: l.listingLegalBasis, decisionNo: l.recordNo, listedAt: l.effectiveOn, validUntil: l.validUntil } : null,
  };
}
