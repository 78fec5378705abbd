// Reads the entity table and enums of shared/spec/api.md, the contract of
// record for the public API, so the schema test follows the spec as it changes.
import { readFileSync } from 'node:fs';

export const API_SPEC = process.env.GGN_API_SPEC ?? '/work/shared/spec/api.md';

export interface SpecField {
  name: string;
  /** Text in parentheses after the field name, if any. */
  note: string | null;
  /** The backticked type named in the note (`MemberGroup`, `SeatRole`), if any. */
  type: string | null;
  derived: boolean;
  nullable: boolean;
}

export interface SpecEntity {
  name: string;
  immutable: boolean;
  /** Id format, e.g. "<areaId>-<ROLE>". */
  id: string;
  fields: SpecField[];
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function parseField(item: string): SpecField {
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:\((.*)\))?$/s.exec(item);
  if (!m) throw new Error(`api.md: cannot parse field "${item}"`);
  const note = m[2] ?? null;
  const type = note ? (/`([A-Za-z_][A-Za-z0-9_]*)`/.exec(note)?.[1] ?? null) : null;
  return {
    name: m[1],
    note,
    type,
    derived: note !== null && /^derived\b/.test(note),
    nullable: note !== null && /\bnull\b/.test(note),
  };
}

export function readApiSpec(file = API_SPEC): { entities: SpecEntity[]; enums: Map<string, string[]> } {
  const text = readFileSync(file, 'utf8');
  const entities: SpecEntity[] = [];
  for (const line of text.split('\n')) {
    const row = /^\|\s*`([A-Za-z]+)`([^|]*)\|\s*`"([^`]*)"`\s*\|(.*)\|\s*$/.exec(line);
    if (!row) continue;
    entities.push({
      name: row[1],
      immutable: /\(immutable\b/.test(row[2]),
      id: row[3],
      fields: splitTopLevel(row[4]).map(parseField),
    });
  }
  const enums = new Map<string, string[]>();
  const enumBlock = text.slice(text.indexOf('Enums:'));
  for (const m of enumBlock.matchAll(/`([A-Za-z]+) \{ ([A-Z_ ]+) \}`/g)) {
    enums.set(m[1], m[2].trim().split(/\s+/));
  }
  return { entities, enums };
}
