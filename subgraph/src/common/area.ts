// The Area and Factory entities, and the data-source context that ties an
// AreaDAO / AreaGovernanceToken data source to its area.
import { Address, BigInt, Bytes, DataSourceContext, dataSource, ethereum } from '@graphprotocol/graph-ts';
import { Area, Factory } from '../../generated/schema';
import { areaKey } from './ids';
import { stampCreated } from './proof';

// Keys of the context handleAreaCreated gives the AreaDAO and AreaGovernanceToken data sources.
const CTX_AREA_ID = 'areaId';
const CTX_FACTORY = 'factory';
const CTX_DAO = 'dao';
const CTX_TOKEN = 'token';

export function areaContext(
  areaId: BigInt,
  factory: Address,
  dao: Address,
  token: Address,
): DataSourceContext {
  let ctx = new DataSourceContext();
  ctx.setBigInt(CTX_AREA_ID, areaId);
  ctx.setBytes(CTX_FACTORY, factory);
  ctx.setBytes(CTX_DAO, dao);
  ctx.setBytes(CTX_TOKEN, token);
  return ctx;
}

export function getOrCreateFactory(address: Address, event: ethereum.Event): Factory {
  let id = address.toHexString();
  let factory = Factory.load(id);
  if (factory == null) {
    factory = new Factory(id);
    factory.address = address;
    factory.areaCount = 0;
    stampCreated(factory, 'created', event);
  }
  return factory;
}

/**
 * Loads the area or creates it with neutral values. Whichever of AreaCreated
 * (factory) and the DAO's constructor events is handled first creates the
 * entity; the others fill in their part. graph-node runs AreaCreated first
 * (the templates do not exist before it), but nothing here depends on that.
 */
export function getOrCreateArea(
  areaId: BigInt,
  factory: Bytes,
  dao: Bytes,
  token: Bytes,
  event: ethereum.Event,
): Area {
  let area = Area.load(areaKey(areaId));
  if (area != null) return area;
  area = new Area(areaKey(areaId));
  area.areaId = areaId;
  area.factory = factory.toHexString();
  area.name = '';
  area.code = '';
  area.dao = dao;
  area.token = token;
  area.leaseTerm = BigInt.zero();
  area.votingPeriod = BigInt.zero();
  area.quorumBps = 0;
  area.acceptWindow = BigInt.zero();
  area.renewalWindow = BigInt.zero();
  area.seatPrice = BigInt.zero();
  area.totalSupply = BigInt.zero();
  area.groupCount = 0;
  area.consumerCount = 0;
  area.motionCount = 0;
  area.openMotionCount = 0;
  area.voteCount = 0;
  area.leaseCount = 0;
  area.totalDelegations = 0;
  area.delegationEventCount = 0;
  area.eventCount = 0;
  stampCreated(area, 'created', event);
  return area;
}

/** The area of the AreaDAO / AreaGovernanceToken data source handling `event`. */
export function areaOfDataSource(event: ethereum.Event): Area {
  let ctx = dataSource.context();
  return getOrCreateArea(
    ctx.getBigInt(CTX_AREA_ID),
    ctx.getBytes(CTX_FACTORY),
    ctx.getBytes(CTX_DAO),
    ctx.getBytes(CTX_TOKEN),
    event,
  );
}
