// Lint + the layering rule (VS Code style, kept simple): each layer may import only the layers
// below it. common ← core ← main | web | cli; common ← renderer; preload sees only common.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = { regex: '^(node:.*|fs|path|os|child_process|net|http|https|crypto|events|stream|util|worker_threads|url)(/.*)?$' };

/** `electron/<dir>/*` as a relative import from any depth of another layer (files sit up to three levels down). */
function layers(...dirs) {
  return dirs.flatMap((dir) => ['..', '../..', '../../..'].map((up) => `${up}/${dir}/*`));
}

/** no-restricted-imports patterns for a layer. */
function restrict(...groups) {
  return {
    'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => (Array.isArray(group) ? { group, message } : { ...group, message })) }],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/build/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain CommonJS launchers and build scripts.
    files: ['bin/**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrict(
      [NODE_BUILTINS, 'electron/common is pure data and logic: no node builtins'],
      [{ regex: '^electron(/.*)?$' }, 'electron/common must not import electron'],
      [['../core/*', '../main/*', '../web/*', '../cli/*', '../preload/*', '../../renderer/*', '../../native/*'], 'electron/common imports nothing above it'],
      [['react', 'react-dom', 'react-dom/*', 'ws'], 'electron/common has no UI or transport dependencies'],
    ),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrict(
      [{ regex: '^electron(/.*)?$' }, 'electron/core is host-agnostic: never import electron'],
      [[...layers('main', 'web', 'cli', 'preload'), '**/renderer/*'], 'electron/core may import only common and native'],
    ),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: restrict(
      [[...layers('core', 'main', 'web', 'cli'), '**/native/*'], 'the preload sees only electron/common'],
      [NODE_BUILTINS, 'the sandboxed preload cannot use node builtins'],
    ),
  },
  {
    files: ['electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(
      [{ regex: '^electron(/.*)?$' }, 'web and cli hosts run in plain Node: never import electron'],
      [[...layers('main', 'preload'), '**/renderer/src/*'], 'hosts do not import each other or the renderer'],
    ),
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: restrict([[...layers('cli', 'preload', 'web'), '**/renderer/src/*'], 'hosts do not import each other or the renderer']),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [NODE_BUILTINS, 'the renderer runs in a browser sandbox: no node builtins'],
      [{ regex: '^electron(/.*)?$' }, 'the renderer knows only the bridge interface'],
      [['**/electron/core/*', '**/electron/main/*', '**/electron/web/*', '**/electron/cli/*', '**/electron/preload/*', '**/native/*'], 'the renderer may import only electron/common'],
    ),
  },
);
