// ESLint for the TypeScript and JavaScript of the package, its tests and tools (npm run lint).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'generated/',
      'node_modules/',
      'test/runtimes/node_modules/',
      'test/sdk/.cache/',
      '.venv/',
      'coverage/',
      'src/python/',
      'conformance/captured/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      // `_name` marks a parameter or binding kept for its position or to drop a key from a rest object.
      // ANSI escapes (\x1b) and NUL sentinels (\x00) are matched on purpose: terminal output and the site's placeholders.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // The docs site's script runs in the browser.
    files: ['src/site/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // The diff tests edit whole contract documents as untyped JSON, deep and on purpose (a wrong key is the test).
    files: ['test/diff/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
