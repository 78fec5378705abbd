// One lint config for the whole monorepo. AssemblyScript mappings are linted by
// the AssemblyScript compiler (graph build), not by ESLint.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/dist/**',
      '**/generated/**',
      'subgraph/src/**',
      'indexer/test/wasm/host-conformance.ts',
      'indexer/test/wasm/runner-mapping.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
    },
  },
);
