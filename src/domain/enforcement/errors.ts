/**
 * Bad input to an enforcement calculation: the field it concerns (`factors[1].percent`), what is
 * wrong, and the rule that refused it (`PERCENT_OUT_OF_RANGE`), so the GraphQL layer can answer
 * BAD_USER_INPUT naming both and a case record can store why a computation was refused.
 */
export class EnforcementInputError extends Error {
  readonly field: string;
  readonly problem: string;
  readonly rule: string;

  constructor(field: string, rule: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'EnforcementInputError';
    this.field = field;
    this.problem = problem;
    this.rule = rule;
  }
}
