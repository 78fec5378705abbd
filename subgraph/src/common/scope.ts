// What every protocol-event handler does besides its own work: keep the area
// and its day rollup in one place, write the GovernanceEvent audit row, stamp
// the last change and save. A handler opens a Scope, changes the area/day
// through it (never through a second loaded copy), names what the event
// concerns, and calls finish(kind) last.
import { Address, BigInt, Bytes, ethereum } from '@graphprotocol/graph-ts';
import { Area, AreaDayData, GovernanceEvent } from '../../generated/schema';
import { areaOfDataSource } from './area';
import { SECONDS_PER_DAY, dayIndex, dayKey, eventId } from './ids';
import { stampCreated, stampEvent, stampUpdated } from './proof';

export class Scope {
  area: Area;
  day: AreaDayData;
  event: ethereum.Event;
  /** What the event concerns, for the audit row; set by the handler. */
  motion: string | null = null;
  group: string | null = null;
  seatRole: string | null = null;
  account: Bytes | null = null;

  constructor(area: Area, event: ethereum.Event) {
    this.area = area;
    this.event = event;
    this.day = getOrCreateDay(area.id, event);
  }

  about(
    motion: string | null,
    group: string | null,
    seatRole: string | null,
    account: Address | null,
  ): Scope {
    this.motion = motion;
    this.group = group;
    this.seatRole = seatRole;
    this.account = account;
    return this;
  }

  /** Writes the audit row for the event named `kind` and saves area and day. */
  finish(kind: string): void {
    let row = new GovernanceEvent(eventId(this.event));
    row.area = this.area.id;
    row.kind = kind;
    row.motion = this.motion;
    row.group = this.group;
    row.seatRole = this.seatRole;
    row.account = this.account;
    row.emitter = this.event.address;
    stampEvent(row, this.event);
    row.save();

    let area = this.area;
    area.eventCount = area.eventCount + 1;
    stampUpdated(area, this.event);
    area.save();

    let day = this.day;
    day.events = day.events + 1;
    day.groupCount = area.groupCount;
    day.consumerCount = area.consumerCount;
    day.totalDelegations = area.totalDelegations;
    day.openMotionCount = area.openMotionCount;
    stampUpdated(day, this.event);
    day.save();
  }
}

function getOrCreateDay(area: string, event: ethereum.Event): AreaDayData {
  let index = dayIndex(event.block.timestamp);
  let id = dayKey(area, index);
  let day = AreaDayData.load(id);
  if (day != null) return day;
  day = new AreaDayData(id);
  day.area = area;
  day.dayIndex = index;
  day.date = BigInt.fromI64(i64(index) * SECONDS_PER_DAY);
  day.motionsProposed = 0;
  day.motionsFinalized = 0;
  day.motionsPassed = 0;
  day.motionsRejected = 0;
  day.motionsQuorumNotMet = 0;
  day.motionsVetoed = 0;
  day.votesCast = 0;
  day.weightCast = BigInt.zero();
  day.delegations = 0;
  day.consumersRegistered = 0;
  day.groupsRegistered = 0;
  day.membersAdded = 0;
  day.membersRemoved = 0;
  day.leasesGranted = 0;
  day.leasesRenewed = 0;
  day.leasesExpired = 0;
  day.seatRevenue = BigInt.zero();
  day.parameterChanges = 0;
  day.events = 0;
  day.groupCount = 0;
  day.consumerCount = 0;
  day.totalDelegations = 0;
  day.openMotionCount = 0;
  stampCreated(day, 'created', event);
  return day;
}

/** Scope of an AreaDAO / AreaGovernanceToken event: its area comes from the data-source context. */
export function openAreaScope(event: ethereum.Event): Scope {
  return new Scope(areaOfDataSource(event), event);
}
