/** Code lists of the warning module; registered as GraphQL enums in alert.types.ts. */

/** What raised an alert. */
export enum AlertKind {
  /** A section's daily class is worse than its target class (水质目标). */
  SECTION_CLASS = 'SECTION_CLASS',
  /** A watched parameter's period mean is above a warning threshold. */
  WATCHED_THRESHOLD = 'WATCHED_THRESHOLD',
  /** A watched parameter rose over N periods in a row. */
  RISING_TREND = 'RISING_TREND',
  /** An outlet's hourly or daily mean over its limit. */
  SOURCE_EXCEEDANCE = 'SOURCE_EXCEEDANCE',
  /** An outlet's data missing or flagged as not a valid measurement (F, D, B) for too many hours of a day. */
  SOURCE_DATA_GAP = 'SOURCE_DATA_GAP',
  /** An outlet reported values flagged as not measured (above range, set by hand). */
  SOURCE_ABNORMAL_FLAG = 'SOURCE_ABNORMAL_FLAG',
}

export const SOURCE_KINDS: readonly AlertKind[] = [AlertKind.SOURCE_EXCEEDANCE, AlertKind.SOURCE_DATA_GAP, AlertKind.SOURCE_ABNORMAL_FLAG];

/** Warning levels, mildest first (the order the rules file lists them in). */
export enum AlertLevel {
  BLUE = 'BLUE',
  YELLOW = 'YELLOW',
  ORANGE = 'ORANGE',
  RED = 'RED',
}

export const LEVEL_ORDER: readonly AlertLevel[] = [AlertLevel.BLUE, AlertLevel.YELLOW, AlertLevel.ORANGE, AlertLevel.RED];

export function levelRank(l: AlertLevel): number {
  return LEVEL_ORDER.indexOf(l);
}

/** Lifecycle: OPEN → ACKNOWLEDGED → RESOLVED. */
export enum AlertStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

/** The period an alert's values stand for. */
export enum AlertPeriod {
  HOUR = 'HOUR',
  DAY = 'DAY',
}

/** What the officer found on verifying an alert (核查结果). */
export enum VerificationResult {
  /** The exceedance or event is real. */
  CONFIRMED = 'CONFIRMED',
  /** The instrument or the data link was at fault, not the discharge or the water. */
  INSTRUMENT_FAULT = 'INSTRUMENT_FAULT',
  /** Nothing wrong was found. */
  FALSE_ALARM = 'FALSE_ALARM',
  /** Reported beforehand (maintenance, calibration, a planned stop). */
  REPORTED_IN_ADVANCE = 'REPORTED_IN_ADVANCE',
}
