// The auditor queries of shared/spec/api.md, opened as GraphiQL tabs.
export const AUDITOR_QUERIES: { title: string; query: string }[] = [
  {
    title: 'Area seats and holders',
    query: `# An area's seats, who holds them and until when
query AreaSeats {
  area(id: "1") {
    name
    seats { role holder { name } currentLease { end } }
  }
}`,
  },
  {
    title: 'Passed motions',
    query: `# Motions an area passed, latest voting end first
query PassedMotions {
  motions(where: { area: "1", status: PASSED }, orderBy: votingEnd, orderDirection: desc, first: 50) {
    id kind forVotes againstVotes
  }
}`,
  },
  {
    title: 'Votes on a motion',
    query: `# Every vote on motion 3 of area 1, heaviest first
query MotionVotes {
  votes(where: { motion: "1-3" }, orderBy: weight, orderDirection: desc) {
    group { name } support weight transactionHash
  }
}`,
  },
  {
    title: 'Seats at block 20',
    query: `# Time travel: the seats as they were after block 20
query SeatsAtBlock20 {
  seats(block: { number: 20 }, where: { area: "1" }) { role holder { name } }
}`,
  },
  {
    title: 'Active leases ending soon',
    query: `# Active leases that end before 2026-01-01
query LeasesEndingSoon {
  leases(where: { end_lt: "1767225600", status: ACTIVE }) { id seat { role } group { name } end }
}`,
  },
  {
    title: 'Audit trail',
    query: `# The area's governance events from block 100 on, in chain order
query AuditTrail {
  governanceEvents(where: { area: "1", blockNumber_gte: "100" }, orderBy: blockNumber, first: 1000) {
    kind transactionHash
  }
}`,
  },
  {
    title: 'Indexing status',
    query: `# Which block the answers are for, and whether indexing hit errors
query IndexingStatus {
  _meta { block { number hash timestamp } deployment hasIndexingErrors }
}`,
  },
];
