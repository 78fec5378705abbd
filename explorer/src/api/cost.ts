// Query cost, as the embedded server estimates it, so that the explorer's
// reads stay under its limit.
//
// The embedded server protects itself with graphql-armor's cost limit: a
// field with a selection costs 2, a scalar 1, each child counts 1.5× its cost,
// and a field's total is multiplied by its literal `first`. Operations above
// 100 000 are rejected. graph-node has no such limit, so fitting under it costs
// nothing there. The explorer therefore (1) splits a page's root fields into
// as many requests as needed and (2) lowers `first` of a single root field
// that alone exceeds the budget (complete reads then page with that size).
// This is an estimate of the server's rule, not our own protocol: see
// indexer/src/server/api-server.ts for the limit in force.
import { buildQuery, type AsOf, type Field } from './graphql.ts';

export const MAX_QUERY_COST = 100_000;
const OBJECT = 2;
const SCALAR = 1;
const DEPTH = 1.5;

type Tok = { t: '{' | '}' | 'name' | 'args'; v: string };

function tokenize(sel: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sel.length) {
    const c = sel[i];
    if (/\s|,/.test(c)) i++;
    else if (c === '{' || c === '}') {
      out.push({ t: c, v: c });
      i++;
    } else if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < sel.length; j++) {
        if (sel[j] === '(') depth++;
        else if (sel[j] === ')' && --depth === 0) break;
        else if (sel[j] === '"') for (j++; j < sel.length && sel[j] !== '"'; j++) if (sel[j] === '\\') j++;
      }
      out.push({ t: 'args', v: sel.slice(i + 1, j) });
      i = j + 1;
    } else {
      const m = /^[_A-Za-z][_0-9A-Za-z]*(\s*:\s*[_A-Za-z][_0-9A-Za-z]*)?/.exec(sel.slice(i));
      if (!m) throw new Error(`cannot read selection at "${sel.slice(i, i + 20)}"`);
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

const firstOf = (args: string | undefined) => {
  const m = args ? /(?:^|[\s,{(])first\s*:\s*(\d+)/.exec(args) : null;
  return m ? Math.max(1, Number(m[1])) : 1;
};

/** Σ 1.5 × cost of each field of a selection set's contents. */
function selectionCost(toks: Tok[], pos: { i: number }): number {
  let sum = 0;
  while (pos.i < toks.length && toks[pos.i].t !== '}') {
    const tok = toks[pos.i++];
    if (tok.t !== 'name') throw new Error(`unexpected ${tok.v}`);
    let args: string | undefined;
    if (toks[pos.i]?.t === 'args') args = toks[pos.i++].v;
    if (toks[pos.i]?.t === '{') {
      pos.i++;
      const inner = selectionCost(toks, pos);
      pos.i++; // '}'
      sum += DEPTH * (OBJECT + inner) * firstOf(args);
    } else sum += DEPTH * SCALAR;
  }
  return sum;
}

/** Cost of one root field (root fields are summed without the 1.5 factor). */
export function fieldCost(f: Field): number {
  if (!f.selection) return SCALAR;
  const toks = tokenize(f.selection);
  const pos = { i: 0 };
  const inner = selectionCost(toks, pos);
  const first = typeof f.args?.first === 'number' ? Math.max(1, f.args.first) : 1;
  return (OBJECT + inner) * first;
}

/** Cost of one row of a root list field: what each unit of `first` adds. */
export function rowCost(f: Field): number {
  return fieldCost({ ...f, args: { ...f.args, first: 1 } });
}

/** The largest `first` (≤ wanted) whose field fits the budget. */
export function fitFirst(f: Field, wanted: number, budget = MAX_QUERY_COST): number {
  return Math.max(1, Math.min(wanted, Math.floor(budget / rowCost(f))));
}

/**
 * Documents for a page's root fields, each under the budget. Fields keep their
 * order; a field that alone is too expensive gets a smaller `first`.
 */
export function planQueries(fields: Field[], block: AsOf, budget = MAX_QUERY_COST): string[] {
  const docs: Field[][] = [];
  let cur: Field[] = [];
  let curCost = 0;
  for (let f of fields) {
    if (fieldCost(f) > budget && typeof f.args?.first === 'number')
      f = { ...f, args: { ...f.args, first: fitFirst(f, f.args.first, budget) } };
    const c = fieldCost(f);
    if (cur.length && curCost + c > budget) {
      docs.push(cur);
      cur = [];
      curCost = 0;
    }
    cur.push(f);
    curCost += c;
  }
  if (cur.length) docs.push(cur);
  return docs.map((d) => buildQuery(d, block));
}
