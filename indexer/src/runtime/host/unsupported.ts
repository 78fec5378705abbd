// Imports graph-node exposes but that make no sense for this indexer (no IPFS
// node, no ENS table) or that graph-node itself removed: each fails the handler
// deterministically, as graph-node does with IPFS/ENS unavailable.
import { det } from '../errors.js';
import type { HostNamespace } from './env.js';

const fail = (what: string) => () => () => {
  throw det(what);
};

export const unsupportedImports: HostNamespace = {
  'ipfs.cat': fail(
    '`ipfs.cat` is not supported: this indexer has no IPFS node (graph-node requires non-deterministic IPFS to be enabled)',
  ),
  'ipfs.getBlock': fail('`ipfs.getBlock` is not supported: this indexer has no IPFS node'),
  'ipfs.map': fail('`ipfs.map` is not supported: this indexer has no IPFS node'),
  'ens.nameByHash': fail('Failed to find ENS name: the ENS rainbow table is empty'),
  'arweave.transactionData': fail('`arweave.transactionData` has been removed'),
  'box.profile': fail('`box.profile` has been removed'),
};
