// The layers of Forkscope and what each may import: an allow-list, enforced by the `layering`
// rule (./layering.mjs). Anything a layer does not list here is refused, so a new folder, a new
// package or a new edge between layers is a decision made in this file, not an accident.
//
// Across the repository (docs/architecture.md §2), dependencies point one way:
//
//   electron/common ← native ← electron/core ← electron/main | electron/web | electron/cli
//   electron/common ← electron/preload
//   electron/common ← renderer
//
// Inside electron/core the data flow is a layering too, lowest first:
//
//   procfs ← model ← sources | session | actions ← recording | capture ← engine
//
// procfs reads /proc; model is the process table built from what procfs and the sources read;
// sources turn the kernel's (or the poller's) view into events for the model; session turns
// the model's changes into delta batches; actions act on a process the model names; recording
// keeps and replays what sessions publish; capture diagnoses and installs the capture helper
// (it opens a live source to see what works); engine (the files at the top of electron/core,
// with its test rig in electron/core/test) wires all of them for the hosts. Layers on one row
// ("a | b") do not import each other. rendererAssets (the renderer's files and their CSP, served
// by the Electron and web hosts) stands apart: it needs only common.
//
// A layer is the files its globs match (paths relative to the repository root; the first layer
// that matches a file owns it). `may` lists the other layers it may import (its own is implied),
// `node` whether it may import node builtins, `packages` the npm packages it may import. Test
// code (see TEST_FILES) may also import `testPackages`, vitest, and the test helpers of every
// layer beneath its own (a CLI test may probe the kernel with native's); production code never
// imports test code.

/** Every layer of electron/core, for the layers above it. */
const CORE = [
  'electron/core/engine',
  'electron/core/recording',
  'electron/core/capture',
  'electron/core/sources',
  'electron/core/session',
  'electron/core/actions',
  'electron/core/model',
  'electron/core/procfs',
  'electron/core/rendererAssets',
];
/** What the core sub-layers below `sources | session | actions` may use. */
const BELOW_MODEL = ['electron/core/procfs', 'native', 'electron/common'];
const BELOW_SOURCES = ['electron/core/model', ...BELOW_MODEL];
const BELOW_RECORDING = ['electron/core/sources', 'electron/core/session', 'electron/core/actions', ...BELOW_SOURCES];

/** Test code: it may use its test runner and other layers' test helpers. */
export const TEST_FILES = ['**/*.test.{ts,tsx,mjs}', '**/*.spec.ts', '**/test/**'];

/** @type {Array<{ name: string, files: string[], may: string[], node: boolean, packages?: string[], testPackages?: string[] }>} */
export const LAYERS = [
  // The contract every other layer shares: plain data and logic, for Node and the browser alike.
  { name: 'electron/common', files: ['electron/common/**'], may: [], node: false },
  // The addon's TypeScript side and the capture helper's facts: below all of core.
  { name: 'native', files: ['native/**'], may: ['electron/common'], node: true },

  { name: 'electron/core/procfs', files: ['electron/core/procfs/**'], may: ['native', 'electron/common'], node: true, testPackages: ['esbuild'] },
  { name: 'electron/core/rendererAssets', files: ['electron/core/rendererAssets/**'], may: ['electron/common'], node: true },
  { name: 'electron/core/model', files: ['electron/core/model/**'], may: BELOW_MODEL, node: true },
  { name: 'electron/core/sources', files: ['electron/core/sources/**'], may: BELOW_SOURCES, node: true },
  { name: 'electron/core/session', files: ['electron/core/session/**'], may: BELOW_SOURCES, node: true },
  { name: 'electron/core/actions', files: ['electron/core/actions/**'], may: BELOW_SOURCES, node: true },
  { name: 'electron/core/recording', files: ['electron/core/recording/**'], may: BELOW_RECORDING, node: true },
  { name: 'electron/core/capture', files: ['electron/core/capture/**'], may: BELOW_RECORDING, node: true },
  { name: 'electron/core/engine', files: ['electron/core/*', 'electron/core/test/**'], may: [...CORE, 'native', 'electron/common'], node: true },

  // The hosts: each sees core (never native past it) and common. The CLI's `web` and `start`
  // commands run the web host, so the CLI may import it; no other host imports another.
  { name: 'electron/main', files: ['electron/main/**'], may: [...CORE, 'electron/common'], node: true, packages: ['electron'] },
  { name: 'electron/web', files: ['electron/web/**'], may: [...CORE, 'electron/common'], node: true, packages: ['ws'] },
  { name: 'electron/cli', files: ['electron/cli/**'], may: ['electron/web', ...CORE, 'electron/common'], node: true },
  // The sandboxed preload: the bridge interface and contextBridge, nothing else.
  { name: 'electron/preload', files: ['electron/preload/**'], may: ['electron/common'], node: false, packages: ['electron'] },

  // The renderer's build and measuring scripts run in Node and import none of the app.
  {
    name: 'renderer/build',
    files: ['renderer/vite.config.ts', 'renderer/src/dev/vite.bench.config.ts', 'renderer/src/dev/measure.mjs'],
    may: [],
    node: true,
    packages: ['vite', '@vitejs/plugin-react', '@playwright/test'],
  },
  // The UI: a browser sandbox that knows only the bridge interface. Its tests run in Node and
  // may stand up a WebSocket server.
  { name: 'renderer', files: ['renderer/**'], may: ['electron/common'], node: false, packages: ['react', 'react-dom', 'zustand', 'd3-hierarchy'], testPackages: ['ws'] },

  // Measuring and end-to-end testing drive the app from outside: they may use what they measure.
  { name: 'bench', files: ['bench/**'], may: [...CORE, 'native', 'electron/common'], node: true },
  { name: 'e2e', files: ['e2e/**'], may: ['electron/cli', 'electron/web', ...CORE, 'native', 'electron/common'], node: true, packages: ['@playwright/test'] },

  // Packaging, the launcher (it loads the built CLI by a computed path) and this lint's own code.
  { name: 'assets', files: ['assets/**'], may: [], node: true },
  { name: 'bin', files: ['bin/**'], may: [], node: true },
  { name: 'tools', files: ['tools/**'], may: [], node: true, testPackages: ['eslint', 'typescript-eslint'] },
  // The root's tool configurations.
  {
    name: 'config',
    files: ['*.config.{ts,mjs,js}'],
    may: ['tools', 'e2e', 'electron/cli'],
    node: true,
    packages: ['@eslint/js', 'typescript-eslint', 'globals', 'vitest', '@playwright/test'],
  },
];
