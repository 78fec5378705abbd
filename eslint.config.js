// One lint config for the whole monorepo. AssemblyScript mappings are linted by
// the AssemblyScript compiler (graph build), not by ESLint.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '**/generated/**', 'subgraph/src/**', 'subgraph/tests/wasm/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
    },
  },
);
