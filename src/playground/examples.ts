import { withCheckCharacter } from '../domain/uscc';

/**
 * The operations the playground opens with, one tab per module. A unit test validates every one
 * against the hub's schema, so an API change that breaks an example fails the build instead of
 * greeting a new user with an error.
 */
export interface PlaygroundExample {
  /** The operation name; GraphiQL titles the tab with it. */
  name: string;
  query: string;
  /** JSON text for the variables editor. */
  variables?: Record<string, unknown>;
}

/** A well-formed USCC that is not in the demo data: the dossier tab runs, answering null, until a real one is pasted. */
export const PLACEHOLDER_USCC = withCheckCharacter('91320509MA1MN0000');

/** The example tabs; `sampleUscc` fills the dossier example when the hub knows one the dev token may read. */
export function playgroundExamples(sampleUscc: string | null): PlaygroundExample[] {
  return [
    {
      name: 'Enterprises',
      query: `# Eco-hub playground: one tab per module.
# Run with ▶ or Ctrl-Enter.
# Dossier data needs a token in Headers below:
#   {"Authorization": "Bearer <token>"}
# from: npm run token -- --jurisdiction WUJIANG
# Conditional data of another district needs a
# sharing grant (SharingApplication tab).
# Without a token you are the public.

query Enterprises($first: Int = 10, $after: String) {
  enterprises(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        uscc name industryName
        jurisdiction registrationStatus
      }
    }
  }
}
`,
    },
    {
      name: 'Dossier',
      query: `# One enterprise's digital dossier by its USCC (Variables below). Conditional record types
# from another district need a sharing grant to your agency (see the SharingApplication tab);
# X-Purpose: EMERGENCY opens them in an emergency, and the owner reviews every such read.

query Dossier($uscc: USCC!) {
  enterprise(uscc: $uscc) {
    uscc name address industryName jurisdiction
    legalRepresentative { name idNumber }
    creditStatus { level levelName blacklisted listing { reason listedAt validUntil } }
    permits(first: 5) { totalCount edges { node { permitNo managementClass validTo status } } }
    eiaApprovals(first: 5) { totalCount edges { node { approvalNo projectName decision decisionDate } } }
    inspections(first: 5) { totalCount edges { node { inspectionNo inspectedOn type outcome } } }
    penalties(first: 5) { totalCount edges { node { decisionNo decisionDate fineAmount status } } }
    complaints(first: 5) { totalCount edges { node { ticketNo receivedAt element status complainant { name phone } } } }
  }
}
`,
      variables: { uscc: sampleUscc ?? PLACEHOLDER_USCC },
    },
    {
      name: 'WujiangPenalties',
      query: `# Administrative penalties decided in Wujiang, newest first. The public sees the publicised ones.

query WujiangPenalties {
  penalties(first: 10, filter: { jurisdiction: WUJIANG, from: "2024-01-01" }) {
    totalCount
    edges {
      node {
        decisionNo decisionDate violationType fineAmount status publicityUntil
        enterprise { uscc name }
      }
    }
  }
}
`,
    },
    {
      name: 'CatalogSearch',
      query: `# Search the resource catalog and count what each dimension would narrow it to.

query CatalogSearch($filter: CatalogFilter) {
  catalogResources(filter: $filter, first: 10) {
    totalCount
    edges {
      node { code name nameEn sharingType openToPublic entryPoint provider { name } updateCycle { name } }
    }
  }
  catalogFacets(filter: $filter) {
    total
    functions { code name count selected }
    businessLines { code name count selected }
    elements { code name count selected }
    sharingTypes { code name count selected }
  }
}
`,
      variables: { filter: { search: '水质' } },
    },
    {
      name: 'AssessWater',
      query: `# Surface-water class of one sample under GB 3838-2002 (single-factor method); no data is read.

query AssessWater {
  assessWater(input: {
    waterbody: RIVER
    values: [
      { parameter: "w01018", value: "18" }
      { parameter: "w21003", value: "1.2" }
      { parameter: "w21011", value: "0.25" }
      { parameter: "w01009", value: "6.5" }
    ]
  }) {
    standard waterClass grade
    items { parameter value waterClass evaluated }
    mainPollutants { parameter waterClass exceedance }
  }
}
`,
    },
    {
      name: 'ComputeAqi',
      query: `# Daily AQI under the HJ 633 revision in force on the date; no data is read.

query ComputeAqi {
  computeAqi(input: { report: DAILY, date: "2026-06-01", so2: "10", no2: "40", co: "0.8", o3_8h: "160", pm10: "80", pm25: "60" }) {
    aqi level category primaryPollutants exceedingPollutants standard
    iaqi { pollutant value }
  }
}
`,
    },
    {
      name: 'ComputeDiscretion',
      query: `# The discretion ruler (裁量基准): the fine, its working, the table version and each factor's share.
# The tables are ILLUSTRATIVE until the provinces' official ones are loaded; see discretionTables.

query ComputeDiscretion {
  computeDiscretion(input: {
    violationCode: "AIR_LAW_99"
    factors: [
      { factor: "IMPACT", level: "MEDIUM" }
      { factor: "DURATION", level: "MONTHS_3_TO_6" }
      { factor: "HISTORY", level: "FIRST" }
      { factor: "EXCEEDANCE", level: "HALF_TO_ONE", percent: "7" }
    ]
  }) {
    fine tableVersion illustrative legalBasis legalMin legalMax percentSum capped
    factors { factor level percent amount }
    working
  }
  discretionTables(violationCode: "AIR_LAW_99") {
    version method factors { code required levels { code percent percentMin percentMax } }
  }
}
`,
    },
    {
      name: 'EvaluateMinorViolation',
      query: `# Does a minor-violation rule spare the party a penalty (处罚法 art. 33)? Each condition with the value compared.
# The rules are EXAMPLES of the patterns of nearby lists, not the official YRD 2023 list.

query EvaluateMinorViolation {
  evaluateMinorViolation(input: {
    violationCode: "AIR_LAW_99", conduct: "EXCEEDING_LIMIT"
    occurredOn: "2026-03-01", discoveredAt: "2026-03-02T10:00:00+08:00", correctedAt: "2026-03-03T06:30:00+08:00"
    harm: MINOR, priorOffences: [], circumstances: []
    measures: [{ code: "POLLUTANTS_EXCEEDING", value: 1 }, { code: "EXCEEDANCE_PERCENT", value: "8.5" }]
  }) {
    outcome obligation educationRequired firstOffenceUsed explanation
    applied { rule { listId itemNo description } conditions { kind requirement status actual } }
  }
}
`,
    },
    {
      name: 'StatutoryDeadlines',
      query: `# Every statutory deadline a case's events start; working days follow the official calendar (holidays, 调休).

query StatutoryDeadlines {
  statutoryDeadlines(input: {
    events: [
      { event: "FILED", on: "2026-03-02" }
      { event: "NOTICE_SERVED", on: "2026-09-30" }
      { event: "DECISION_SERVED", on: "2026-09-20" }
    ]
    extensions: [{ timer: "DECISION", approval: "HEAD", days: 30 }]
    suspensions: [{ timer: "DECISION", from: "2026-04-01", to: "2026-04-10" }]
  }) {
    calendar { firstDay lastDay source }
    deadlines { timer { code name basis label dayType } startsOn dueOn rolledForward refusal working }
    pending { timer { code } reason }
  }
}
`,
    },
    {
      name: 'EnforcementCases',
      query: `# Enforcement cases the caller may see (ENFORCEMENT role): its district's, and those transferred to it.
# overdue: true lists the cases past an agency deadline (filing, decision, service). See docs/enforcement.md.

query EnforcementCases {
  enforcementCases(first: 10, filter: { overdue: false }) {
    totalCount
    edges {
      node {
        caseNo ownerJurisdiction state partyName leadReceivedOn nextDueOn nextDueTimer transferredFrom
        deadlines { timer dueOn status }
        transitions { from to on by }
        evidence(first: 5) { edges { node { evidenceNo type sha256 contentUri } } }
        decisionKind fineAmount discretionTableVersion penalty { decisionNo fineAmount }
        minorRuleId firstOffence educationNote
      }
    }
  }
  caseTransfers(first: 10) { edges { node { transferNo caseNo ownerJurisdiction receiver status } } }
}
`,
    },
    {
      name: 'PositiveList',
      query: `# Firms on the positive list (supervised off-site); a penalty decision or a confirmed incident
# (a pollution-source alert resolved CONFIRMED) removes a firm at once, and an entry past validUntil
# becomes EXPIRED. flaggedInspections: on-site, untriggered visits of a firm while it was listed.

query PositiveList {
  positiveList(first: 10) {
    totalCount
    edges { node { entryNo status includedOn validUntil removalCause removalTrigger removalReason enterprise { uscc name } } }
  }
  flaggedInspections(first: 10) {
    totalCount
    edges { node { inspectionNo inspectedOn origin trigger triggerReference site untriggeredOnsiteOfListedFirm enterprise { name } } }
  }
}
`,
    },
    {
      name: 'MonitoringStations',
      query: `# Surface-water sections with their latest observations (shared unconditionally, open to the public: 211002/0001).

query MonitoringStations {
  monitoringStations(first: 10, filter: { kind: SURFACE_WATER }) {
    totalCount
    edges {
      node {
        code name waterName targetClass ownerJurisdiction
        observations(first: 3) { edges { node { parameter observedAt value unit flag } } }
      }
    }
  }
}
`,
    },
    {
      name: 'RiskSources',
      query: `# Risk sources upstream of the Taipu River's Jinze section, and the nearest oil booms to it.
# Risk sources (211010/0002) are conditional: another district's need the ENFORCEMENT role
# (framework grant) or X-Purpose: EMERGENCY. Emergency resources (211010/0003) are shared
# unconditionally; an expert's name, phone and ID are masked outside the owner district.
# Distances are great-circle km; "upstream" is configured per section (docs/risk-sources.md).

query RiskSources($station: String = "W-QP-01", $km: Float = 30) {
  riskSourcesUpstream(stationCode: $station, withinKm: $km, first: 10) {
    distanceKm
    riskSource {
      sourceNo name ownerJurisdiction riskLevel receivingWater planFilingNo planFiledOn
      enterprise { uscc name }
      riskSubstances { substance casNo quantity unit criticalQuantity }
      receptors { kind name distanceKm downstream }
    }
  }
  nearestEmergencyResources(lat: 31.034, lon: 120.903, kind: EQUIPMENT, equipmentType: "OIL_BOOM", first: 3) {
    distanceKm
    resource { resourceNo name ownerJurisdiction quantity unit address contactPhone }
  }
  experts: emergencyResources(first: 10, filter: { kind: EXPERT }) {
    edges { node { resourceNo ownerJurisdiction name capabilities contactPhone idNumber } }
  }
}
`,
    },
    {
      name: 'Alerts',
      query: `# Early-warning alerts addressed to you: your district's, those of a station upstream of you, or all (ZONE).
# A district of the alert's owner acknowledges it, then resolves it with the verification result.

query Alerts {
  alerts(filter: { statuses: [OPEN, ACKNOWLEDGED] }, first: 10) {
    totalCount
    edges {
      node {
        id kind level status stationCode ownerJurisdiction reaches parameter message raisedAt dueAt escalatedAt
        values { parameter periodStart value unit threshold waterClass flags }
      }
    }
  }
}
`,
    },
    {
      name: 'ComplianceReminders',
      query: `# Compliance reminders (合规提醒) addressed to your district's regulator: permits to renew or expired,
# execution reports due or late (deadlines from each permit), the hazardous-waste plan and declaration,
# outlets silent too long, positive-list entries at risk. Most urgent first; each with its history.
# The addressee (ENFORCEMENT, DATA_STEWARD or ADMIN of the owner district) marks one read or acknowledges it:
#   mutation { acknowledgeComplianceReminder(id: "<id>", note: "firm told") { status history { event at actor } } }

query ComplianceReminders($first: Int = 10) {
  complianceReminders(filter: { statuses: [OPEN] }, first: $first) {
    totalCount
    edges {
      node {
        id kind ruleId subjectType subjectKey enterpriseName ownerJurisdiction dueOn message
        deliveredAt readAt history { event at actor channel }
      }
    }
  }
}
`,
    },
    {
      name: 'Objections',
      query: `# Data objections (数据异议) the caller may see: disputed records of the zone, newest first.
# Raise one on a record you can read:
#   mutation { raiseObjection(recordType: PENALTY, key: "<decisionNo>", fields: ["fineAmount"], reason: "…") { id status } }
# The owner district's DATA_STEWARD then runs acceptObjection and resolveObjection (docs/objections.md).

query Objections($first: Int = 10) {
  objections(first: $first, filter: { status: FLAGGED }) {
    totalCount
    edges {
      node {
        id recordType key fields reason status ownerJurisdiction raisedByJurisdiction
        history { step actor at note }
      }
    }
  }
}
`,
    },
    {
      name: 'SharingApplication',
      query: `# Conditional data of another district is applied for, not declared (README, "Getting data from
# another district"). Run the operations in order, each with the token named:
#  1. MyAccess (any token): where you cannot read, applyFor names the resource to apply for.
#  2. ApplyForSharing (token of the applying agency, e.g. --jurisdiction WUJIANG --org WUJIANG-JET
#     --roles DOSSIER_READER,ENFORCEMENT): note the id and dueAt (working days, official calendar).
#  3. ApproveSharingApplication (DATA_STEWARD of the provider, e.g. --jurisdiction QINGPU
#     --roles DATA_STEWARD): paste the id; fewer items, districts or a shorter validTo approve in part.
#  4. Read Qingpu's inspections with the applicant's token, no X-Purpose; the audit rows name the grant.
#  5. RevokeSharingApplication (the provider): reads through the grant stop at once.

query MyAccess {
  myAccess { recordType catalogCode ownerJurisdiction canRead rule applyFor grantId maskedFields }
}

mutation ApplyForSharing {
  applyForSharing(input: {
    resourceCode: "211014/0001"
    items: ["inspectionNo", "uscc", "inspectedOn", "type", "leadAgency", "outcome"]
    districts: [QINGPU]
    purpose: "ENFORCEMENT"
    scenario: "跨界联合执法：核查青浦区企业的检查记录"
    legalBasis: "《中华人民共和国环境保护法》第二十四条"
    contact: "王警官 0512-63000000"
    commitment: "仅用于本机关执法职责，不超范围、不超期限使用，不向第三方提供。"
    validFrom: "2026-12-07"
    validTo: "2027-02-28"
  }) { id status providerJurisdiction dueAt history { to by at } }
}

mutation ApproveSharingApplication($id: ID = "paste-the-id") {
  approveSharingApplication(id: $id, input: { note: "approved for the joint case" }) {
    id status grantedItems grantedDistricts validFrom validTo history { from to by at }
  }
}

query MyApplications {
  sharingApplications(filter: { scope: MINE }, first: 20) {
    totalCount edges { node { id kind resourceCode status dueAt overdue grantedDistricts validTo } }
  }
}

query QingpuInspections {
  inspections(first: 10, filter: { jurisdiction: QINGPU }) { totalCount edges { node { inspectionNo inspectedOn outcome findings } } }
}

mutation RevokeSharingApplication($id: ID = "paste-the-id") {
  revokeSharingApplication(id: $id, reason: "the case is closed") { id status decisionReason }
}
`,
    },
    {
      name: 'Me',
      query: `# Who the hub takes you to be, from the Authorization header, and the X-Purpose it recognised.

query Me {
  me { kind sub org jurisdiction roles purpose }
}
`,
    },
    {
      name: 'RecordChanges',
      query: `# Live: committed changes of shared records, from every hub instance, as they happen (GraphQL
# subscription over WebSocket, graphql-ws). Run it, then write a record in another tab or with
# npm run import; events you may not read are never sent, and each event is audited as a read.
# The Authorization header (and X-Purpose) below is sent in connection_init; stop with ■.

subscription RecordChanges($filter: RecordChangedFilter = { jurisdiction: WUJIANG }) {
  recordChanged(filter: $filter) {
    seq at recordType key op ownerJurisdiction uscc
    record {
      __typename
      ... on Penalty { decisionNo decisionDate fineAmount status }
      ... on Complaint { ticketNo receivedAt complainant { name phone } }
      ... on Enterprise { name registrationStatus }
    }
  }
}
`,
    },
    {
      name: 'AlertRaised',
      query: `# Live: early-warning alerts addressed to you, as they are raised on any hub instance (GraphQL
# subscription over WebSocket). A district that is neither the owner nor downstream hears nothing;
# each alert is re-read with your rights and audited as a read. Add changes: [ESCALATED, RESOLVED]
# to the filter to hear an alert's later changes as well. Stop with ■.

subscription AlertRaised($filter: AlertRaisedFilter = { levels: [YELLOW, ORANGE, RED] }) {
  alertRaised(filter: $filter) {
    id kind level status stationCode ownerJurisdiction reaches parameter message raisedAt dueAt
    values { parameter periodStart value unit threshold }
  }
}
`,
    },
    {
      name: 'ReminderRaised',
      query: `# Live: compliance reminders you may read (the addressed district, its province, ZONE; another
# district as the catalog's terms allow), as the reminder job delivers them on any hub instance.
# Each reminder is re-read with your rights and audited as a read. Stop with ■.

subscription ReminderRaised($filter: ComplianceReminderRaisedFilter) {
  complianceReminderRaised(filter: $filter) {
    id kind subjectType subjectKey enterpriseName ownerJurisdiction dueOn message status deliveredAt
  }
}
`,
    },
    {
      name: 'Webhooks',
      query: `# Webhooks: the hub posts events to your agency's system (docs/webhooks.md). Run in order:
#  1. RegisterWebhook: keep the secret it returns, the hub never shows it again. Each POST carries
#     X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of "<X-Hub-Timestamp>.<body>"> and X-Hub-Event-Id.
#     The URL must be https on a public address (http only in development). The credit platform
#     registers topics: [CREDIT_FEED] instead, with the pull's feedFilter. Add COMPLIANCE_REMINDER
#     to the topics to be posted the reminders your account may read.
#  2. MyWebhooks: your agency's registrations.
#  3. WebhookDeliveries: one line per attempt, with the receiver's status code.

mutation RegisterWebhook($url: String!) {
  registerWebhook(input: {
    url: $url
    topics: [ALERT_RAISED, ALERT_CHANGED]
    alertFilter: { levels: [ORANGE, RED] }
    description: "duty desk"
  }) {
    secret
    webhook { id url topics status agency }
  }
}

query MyWebhooks {
  webhooks { id url topics status pendingEvents lastError feedCursor createdAt }
}

query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    edges { node { eventId topic change subject attempt attemptedAt statusCode error durationMs outcome } }
  }
}
`,
      variables: { url: '<your receiver: an https URL on a public address>', id: '<the id RegisterWebhook returned>' },
    },
  ];
}
