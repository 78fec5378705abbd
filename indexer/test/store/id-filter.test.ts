import { describe, expect, it } from 'vitest';
import { IdFilter } from '../../src/store/id-filter.js';

describe('IdFilter', () => {
  it('never answers "absent" for an id it was given, and seldom "maybe" for others', () => {
    const f = new IdFilter();
    const n = 250_000; // three layers
    for (let i = 0; i < n; i++) f.add(`0x${(i * 2654435761).toString(16)}-${i}`);
    let absent = 0;
    for (let i = 0; i < n; i++) if (!f.mayHave(`0x${(i * 2654435761).toString(16)}-${i}`)) absent++;
    expect(absent).toBe(0);
    let maybe = 0;
    for (let i = 0; i < 20_000; i++) if (f.mayHave(`other-${i}`)) maybe++;
    expect(maybe / 20_000).toBeLessThan(0.05);
  });
});
