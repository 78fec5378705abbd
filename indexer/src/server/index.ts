export {
  startApiServer,
  DEFAULT_LIMITS,
  type ApiServer,
  type ApiServerOptions,
  type ApiLimits,
  type IndexingStatus,
} from './api-server.js';
