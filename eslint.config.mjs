// Lint rules: typescript-eslint's recommended set; formatting is left to Prettier.
import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'bench-results/'] }, ...tseslint.configs.recommended, {
  rules: {
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    '@typescript-eslint/no-require-imports': 'off',
  },
});
