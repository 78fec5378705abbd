/**
 * @ggn/contracts-abi: the GGN protocol's ABIs and bytecode, its enums, and the tools to run it
 * locally (anvil, deployment, the seeded history generator, the devnet).
 */
export * from './generated/abis.js';
export {
  GGNFactoryAbi as gGNFactoryAbi,
  GGNUtilityTokenAbi as gGNUtilityTokenAbi,
  AreaDAOAbi as areaDaoAbi,
  AreaGovernanceTokenAbi as areaGovernanceTokenAbi,
} from './generated/abis.js';
export * from './protocol.js';
export { startAnvil, anvilBinary, CHAIN_ID, DEFAULT_GENESIS_TIMESTAMP, BLOCK_GAS_LIMIT } from './anvil.js';
export type { Anvil, AnvilOptions } from './anvil.js';
export {
  deployProtocol,
  readDeployment,
  writeDeployment,
  formatDeployment,
  deploymentPath,
  DEPLOYMENTS_DIR,
} from './deployment.js';
export type { Deployment, AreaDeployment, DeployOptions } from './deployment.js';
export { generateHistory, DEFAULT_HISTORY } from './history/generate.js';
export type { HistoryOptions, HistoryProgress, HistorySummary } from './history/types.js';
export { startDevnet } from './devnet.js';
export type { Devnet, DevnetOptions } from './devnet.js';
export { Rpc, RpcError } from './rpc.js';
