// Finding where a reorg forked off what we committed. The store keeps the
// pointer of every block with changes and of recent blocks (sqlite-store.ts);
// walking down those and asking the node for its block at each number finds the
// highest committed block that is still canonical: the common ancestor.
import type { BlockSource } from '../chain/source.js';
import type { IndexingStore } from '../store/types.js';

/**
 * The block to revert to: the highest retained pointer the node still has, or
 * `earliest - 1` (an empty store) if none survives; null for an empty store.
 */
export async function findCommonAncestor(
  store: IndexingStore & { earliestBlock(): number | null },
  source: Pick<BlockSource, 'blockAt'>,
): Promise<{ number: number } | null> {
  const head = store.head();
  if (!head) return null;
  const earliest = store.earliestBlock() ?? head.number;
  for (let n = head.number; n >= earliest; n--) {
    const ours = store.blockPtr(n);
    if (!ours) continue; // an empty block whose pointer was not kept
    const theirs = await source.blockAt(n);
    if (theirs && theirs.hash === ours.hash) return { number: n };
  }
  return { number: earliest - 1 };
}
