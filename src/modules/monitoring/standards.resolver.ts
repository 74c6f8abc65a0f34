import { Arg, Query, Resolver } from 'type-graphql';
import { AqiInput, WaterSampleInput } from './monitoring.inputs';
import { AqiResultType, UsccValidation, WaterAssessmentResult } from './monitoring.types';
import { standardsService } from './standards.service';

/**
 * The standard calculators as public queries: no token needed, no data read, so partner systems
 * can check a code or classify a sample with the hub's own rules before they send anything.
 */
@Resolver()
export class StandardsResolver {
  @Query(() => UsccValidation, { description: 'Checks a Unified Social Credit Code (GB 32100-2015): alphabet, division code and check character.' })
  validateUscc(@Arg('code', () => String) code: string): UsccValidation {
    return standardsService.validateUscc(code);
  }

  @Query(() => WaterAssessmentResult, { description: 'Classifies a surface-water sample under GB 3838-2002 by the single-factor method of 环办〔2011〕22号.' })
  assessWater(@Arg('input', () => WaterSampleInput) input: WaterSampleInput): WaterAssessmentResult {
    return standardsService.assessWater(input);
  }

  @Query(() => AqiResultType, { description: 'Computes the AQI of one daily or hourly report under the HJ 633 revision in force on the date.' })
  computeAqi(@Arg('input', () => AqiInput) input: AqiInput): AqiResultType {
    return standardsService.computeAqi(input);
  }
}
