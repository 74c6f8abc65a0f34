import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { CreditScheme } from '../../domain/codes';

@ObjectType({ simpleResolvers: true, description: 'A serious-dishonesty listing (严重失信名单) in force.' })
export class CreditListing {
  @Field() reason: string;
  @Field(() => String, { nullable: true }) legalBasis: string | null;
  @Field() decisionNo: string;
  @Field(() => DateResolver) listedAt: string;
  @Field(() => DateResolver, { nullable: true }) validUntil: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'An enterprise\'s environmental credit now: its latest evaluation and any listing in force.' })
export class CreditStatus {
  @Field(() => CreditScheme, { nullable: true }) scheme: CreditScheme | null;
  @Field(() => String, { nullable: true }) level: string | null;
  @Field(() => String, { nullable: true, description: 'The level\'s name in its scheme (e.g. 环保诚信企业, 黑色).' }) levelName: string | null;
  @Field(() => Int, { nullable: true }) evaluationYear: number | null;
  @Field(() => String, { nullable: true }) issuer: string | null;
  @Field({ description: 'True while a serious-dishonesty listing is in force (from the list, not from the grade).' }) blacklisted: boolean;
  @Field(() => CreditListing, { nullable: true }) listing: CreditListing | null;
}
