// Postgres LIKE / ILIKE (C locale) as the text filters use them.
import { describe, expect, it } from 'vitest';
import { parseFilterKey, pgLike } from '../../src/graphql/filter.js';

describe('pgLike', () => {
  it.each([
    ['a.b', '%.%', false, 1],
    ['axb', 'a.b', false, 0], // regex characters are literal
    ['a(b)', 'a(b)', false, 1],
    ['1-2', '1-%', false, 1],
    ['50%', '50\\%', false, 1], // backslash escapes a wildcard
    ['500', '50\\%', false, 0],
    ['abc', 'a_c', false, 1],
    ['ac', 'a_c', false, 0],
    ['line\nbreak', 'line%', false, 1],
    ['Abc', 'aBC', true, 1],
    ['Abc', 'aBC', false, 0],
    ['ÄBC', 'äbc', true, 0], // C locale: only ASCII letters fold
    ['ÄBC', 'Äbc', true, 1],
  ])('%j LIKE %j (nocase %s) = %i', (v, p, nocase, expected) => expect(pgLike(v, p, nocase)).toBe(expected));

  it('is null on null input, like SQL', () => expect(pgLike(null, '%', false)).toBeNull());
});

describe('filter keys (graph-node parse_field_as_filter)', () => {
  it.each([
    ['name', 'name', ''],
    ['name_not', 'name', 'not'],
    ['name_gte', 'name', 'gte'],
    ['name_not_in', 'name', 'not_in'],
    ['name_in', 'name', 'in'],
    ['name_not_contains_nocase', 'name', 'not_contains_nocase'],
    ['name_starts_with_nocase', 'name', 'starts_with_nocase'],
    ['holder_', 'holder', 'child'],
    ['and', 'and', 'and'],
    ['amount_in', 'amount', 'in'], // a field literally named `amount_in` cannot be compared for equality
    ['x_not_not', 'x', 'not'], // the suffix is trimmed repeatedly, as Rust's trim_end_matches does
  ])('%s → %s %s', (key, field, op) => expect(parseFilterKey(key)).toEqual({ field, op }));
});
