import { DateResolver } from 'graphql-scalars';
import { Arg, Query, Resolver } from 'type-graphql';
import { Jurisdiction } from '../../domain/jurisdictions';
import { DiscretionInput, MinorViolationFactsInput, StatutoryDeadlinesInput } from './enforcement.inputs';
import { enforcementService } from './enforcement.service';
import {
  DiscretionCalculation, DiscretionTable, MinorViolationEvaluation, MinorViolationRule, StatutoryDeadlineRules, StatutoryDeadlineSchedule,
} from './enforcement.types';

/**
 * The enforcement calculators and the published data behind them, as public queries (no token):
 * discretion benchmarks must be published (处罚法 art. 34), and a partner system may check a fine,
 * a no-penalty rule or a deadline with the hub's own rules before it records anything.
 */
@Resolver()
export class EnforcementResolver {
  @Query(() => [DiscretionTable], { description: 'Discretion table entries (裁量基准), one per violation code and table version, with the version\'s provenance and illustrative marker.' })
  discretionTables(
    @Arg('violationCode', () => String, { nullable: true }) violationCode?: string | null,
    @Arg('version', () => String, { nullable: true }) version?: string | null,
    @Arg('asOf', () => DateResolver, { nullable: true, description: 'Only versions in force on this day.' }) asOf?: Date | null,
    @Arg('jurisdiction', () => Jurisdiction, { nullable: true, description: 'Only versions that apply to this district.' }) jurisdiction?: Jurisdiction | null,
  ): DiscretionTable[] {
    return enforcementService.discretionTables({ violationCode, version, asOf, jurisdiction });
  }

  @Query(() => DiscretionCalculation, { description: 'Computes a fine from a discretion table: the fine, the working, the table version and every factor\'s contribution, in exact decimals.' })
  computeDiscretion(@Arg('input', () => DiscretionInput) input: DiscretionInput): DiscretionCalculation {
    return enforcementService.computeDiscretion(input);
  }

  @Query(() => [MinorViolationRule], { description: 'Items of the minor-violation no-penalty lists (轻微违法不予处罚清单), with their list\'s validity and illustrative marker.' })
  minorViolationRules(
    @Arg('violationCode', () => String, { nullable: true }) violationCode?: string | null,
    @Arg('listId', () => String, { nullable: true }) listId?: string | null,
    @Arg('asOf', () => DateResolver, { nullable: true, description: 'Only lists in force on this day.' }) asOf?: Date | null,
    @Arg('jurisdiction', () => Jurisdiction, { nullable: true }) jurisdiction?: Jurisdiction | null,
  ): MinorViolationRule[] {
    return enforcementService.minorViolationRules({ violationCode, listId, asOf, jurisdiction });
  }

  @Query(() => MinorViolationEvaluation, { description: 'Says which minor-violation rule spares the party a penalty (处罚法 art. 33) and why, condition by condition, or why none does.' })
  evaluateMinorViolation(@Arg('input', () => MinorViolationFactsInput) input: MinorViolationFactsInput): MinorViolationEvaluation {
    return enforcementService.evaluateMinorViolation(input);
  }

  @Query(() => StatutoryDeadlineRules, { description: 'The statutory timers of the case procedure (events, periods, day types, extensions) and the official calendar\'s coverage.' })
  statutoryDeadlineRules(): StatutoryDeadlineRules {
    return enforcementService.statutoryDeadlineRules();
  }

  @Query(() => StatutoryDeadlineSchedule, { description: 'Computes every statutory deadline a case\'s events start, in calendar or working days of the official calendar.' })
  statutoryDeadlines(@Arg('input', () => StatutoryDeadlinesInput) input: StatutoryDeadlinesInput): StatutoryDeadlineSchedule {
    return enforcementService.statutoryDeadlines(input);
  }
}
