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
# and "X-Purpose" when a conditional resource
# asks for one. Without a token you are the public.

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
# from another district need X-Purpose (e.g. ENFORCEMENT) and the role that purpose asks for.

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
      name: 'MonitoringStations',
      query: `# Surface-water sections with their latest observations (shared with every agency of the zone).

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
      name: 'Me',
      query: `# Who the hub takes you to be, from the Authorization header, and the X-Purpose it recognised.

query Me {
  me { kind sub org jurisdiction roles purpose }
}
`,
    },
  ];
}
