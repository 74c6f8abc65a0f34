import { StationKind } from '../monitoring';
import { unitOf } from '../ingest';
import { bundledWarningRules, WarningRules, warningRulesFromFile } from './warning-rules';

/** Whether the HJ 212 ingest stores a parameter at a section or an outlet. */
function ingestKnows(code: string): boolean {
  return unitOf(StationKind.SURFACE_WATER, code) !== null || unitOf(StationKind.POLLUTION_SOURCE, code) !== null;
}

/** The warning rules in force: the file HUB_WARNING_RULES_FILE names, or the bundled ones; checked as a whole. */
export function loadWarningRules(file?: string): WarningRules {
  return file ? warningRulesFromFile(file, ingestKnows) : bundledWarningRules(ingestKnows);
}
