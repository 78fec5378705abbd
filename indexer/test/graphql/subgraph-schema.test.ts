// The real subgraph schema: the generated API accepts the auditor queries of
// shared/spec/api.md (the GraphiQL example tabs) and names its root fields as
// graph-node would.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql/index.js';
import { parseSchema } from '../../src/schema/model.js';
import { buildApiSchema } from '../../src/graphql/schema.js';
import { AUDITOR_QUERIES } from '../../graphiql/examples.js';

const source = readFileSync(
  fileURLToPath(new URL('../../../subgraph/schema.graphql', import.meta.url)),
  'utf8',
);
const schema = buildApiSchema(parseSchema(source));

describe('API of subgraph/schema.graphql', () => {
  it.each(AUDITOR_QUERIES.map((q) => [q.title, q.query]))(
    'accepts the auditor query "%s"',
    (_title, query) => {
      expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
    },
  );

  it('has the root fields auditors use', () => {
    const fields = Object.keys(schema.getQueryType()!.getFields());
    for (const f of [
      'area',
      'areas',
      'seats',
      'memberGroups',
      'groupMemberships',
      'consumers',
      'delegations',
      'motions',
      'votingWeights',
      'votes',
      'leases',
      'tokenHolders',
      'parameterChanges',
      'governanceEvents',
      '_meta',
    ])
      expect(fields).toContain(f);
  });
});
