// GGNFactory: one AreaCreated per area. Creates the Area and starts indexing
// its AreaDAO and AreaGovernanceToken. Those contracts emitted their
// constructor/initialize events earlier in the same transaction; graph-node
// runs the new data sources on that block's remaining matching logs after this
// handler, so the DAO handlers find the Area already in place.
import { AreaCreated } from '../../generated/GGNFactory/GGNFactory';
import { AreaDAO, AreaGovernanceToken } from '../../generated/templates';
import { areaContext, getOrCreateArea, getOrCreateFactory } from '../common/area';
import { stampUpdated } from '../common/proof';
import { Scope } from '../common/scope';

export function handleAreaCreated(event: AreaCreated): void {
  let p = event.params;
  let factory = getOrCreateFactory(event.address, event);
  factory.areaCount = factory.areaCount + 1;
  stampUpdated(factory, event);
  factory.save();

  let area = getOrCreateArea(p.areaId, event.address, p.dao, p.token, event);
  area.name = p.name;
  area.code = p.code;
  area.dao = p.dao;
  area.token = p.token;

  let ctx = areaContext(p.areaId, event.address, p.dao, p.token);
  AreaDAO.createWithContext(p.dao, ctx);
  AreaGovernanceToken.createWithContext(p.token, ctx);

  new Scope(area, event).finish('AreaCreated');
}
