// ESLint for sidecar-lint's own code (npm run lint; .ci/run runs it). Type-aware typescript-eslint
// rules catch what tsc does not: floating promises, misused promises, unnecessary conditions are not
// enabled (the code reads untrusted data defensively on purpose).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test/plugins/broken-plugin.mjs is broken on purpose (a plugin that fails to load).
  { ignores: ['dist/**', 'action/**', 'api/**', 'coverage/**', 'node_modules/**', 'schema/**', 'fixtures/**', 'test/plugins/broken-plugin.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Escaping control characters out of untrusted names is much of what this code does.
      'no-control-regex': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // An array spread into a call's arguments fails past V8's argument limit ("Maximum call stack
    // size exceeded"): a file with 200,000 findings crashed the run (issue 18). Loop instead.
    files: ['src/**/*.ts', 'rules/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(push|unshift|splice)$/] > SpreadElement", message: 'push(...array) fails on long arrays: loop over them.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement", message: 'Math.max(...array) fails on long arrays: loop over them.' },
        { selector: "CallExpression[callee.object.name='String'][callee.property.name=/^fromC/] > SpreadElement", message: 'String.fromCharCode(...array) fails on long arrays: loop over them.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: { 'no-control-regex': 'off', '@typescript-eslint/no-require-imports': 'off', 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
);
