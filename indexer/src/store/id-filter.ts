// "Certainly not stored" answers without SQL, for the writer's entity lookups
// (versions.ts): most lookups before a write are for new entities (every event
// writes audit rows, votes, transfers), and each would otherwise be an index
// probe that finds nothing. A Bloom filter never answers "absent" for an id it
// was given; it may answer "maybe" for others (then SQLite is asked).

/** Bits per layer (128 KiB) and ids per layer: ~10 bits an id, 7 probes, about 1% false "maybe". */
const LAYER_BITS = 1 << 20;
const LAYER_IDS = 100_000;
const PROBES = 7;

/** A Bloom filter that grows by layers: no false "absent", ever. */
export class IdFilter {
  private readonly layers: Uint32Array[] = [];
  private inLast = LAYER_IDS;

  add(id: string): void {
    if (this.inLast >= LAYER_IDS) {
      this.layers.push(new Uint32Array(LAYER_BITS / 32));
      this.inLast = 0;
    }
    const bits = this.layers[this.layers.length - 1]!;
    const [h1, h2] = hashes(id);
    for (let i = 0; i < PROBES; i++) {
      const b = (h1 + i * h2) & (LAYER_BITS - 1);
      bits[b >>> 5]! |= 1 << (b & 31);
    }
    this.inLast++;
  }

  mayHave(id: string): boolean {
    const [h1, h2] = hashes(id);
    for (const bits of this.layers) {
      let all = true;
      for (let i = 0; i < PROBES && all; i++) {
        const b = (h1 + i * h2) & (LAYER_BITS - 1);
        all = (bits[b >>> 5]! & (1 << (b & 31))) !== 0;
      }
      if (all) return true;
    }
    return false;
  }
}

const pair: [number, number] = [0, 0];

/** Two 32-bit FNV-1a variants over the UTF-16 code units (double hashing gives the probes). */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  pair[0] = a >>> 0;
  pair[1] = (b ^ (b >>> 15)) | 1; // odd: the probes of one id never collapse onto one bit
  return pair;
}
