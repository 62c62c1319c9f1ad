/**
 * The layering rule against the project's own allow-list (layers.mjs), on small sources given
 * the paths of files in this repository: allowed edges pass, wrong-way ones fail with a message
 * that names the rule, in every form an import takes.
 */
import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layering } from './layering.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ROOT = path.resolve(__dirname, '../..');
const at = (file: string): string => path.join(ROOT, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

/** One wrong-way import: the message names the rule, both layers, and what the importer may use. */
const refused = (from: string, to: string) => [{ message: new RegExp(`^layering: ${from} .*may not import ${to} .*${from}.* may import: `) }];

tester.run('layering', layering, {
  valid: [
    { name: 'model imports procfs, below it', filename: at('electron/core/model/X.ts'), code: "import { parseStat } from '../procfs/parseStat';" },
    { name: 'core imports native', filename: at('electron/core/procfs/X.ts'), code: "import { scanProcesses } from '../../../native/index';" },
    { name: 'the renderer imports common', filename: at('renderer/src/list/X.ts'), code: "import type { ProcKey } from '../../../electron/common/process';" },
    { name: 'a file of its own layer', filename: at('native/X.ts'), code: "export { decodeScan } from './decodeScan';" },
    { name: 'main imports electron', filename: at('electron/main/X.ts'), code: "import { app } from 'electron';" },
    { name: 'the renderer imports react', filename: at('renderer/src/app/X.tsx'), code: "import { useEffect } from 'react';\nimport { createRoot } from 'react-dom/client';" },
    { name: 'a test uses vitest', filename: at('electron/common/X.test.ts'), code: "import { it } from 'vitest';" },
    { name: "a CLI test uses native's test helpers (native is beneath the CLI)", filename: at('electron/cli/test/X.test.ts'), code: "import { AS_NOBODY } from '../../../native/test/helpers';" },
    { name: 'a specifier computed at run time is left alone', filename: at('bin/X.js'), code: 'require(entry);' },
  ],
  invalid: [
    { name: 'core imports a host', filename: at('electron/core/X.ts'), code: "import { wireIpc } from '../main/ipcHandlers';", errors: refused('electron/core/engine', 'electron/main') },
    { name: 'common imports core', filename: at('electron/common/X.ts'), code: "import { createEngine } from '../core/engine';", errors: refused('electron/common', 'electron/core/engine') },
    { name: 'model imports engine', filename: at('electron/core/model/X.ts'), code: "import { createEngine } from '../engine';", errors: refused('electron/core/model', 'electron/core/engine') },
    { name: 'sources import session, a sibling', filename: at('electron/core/sources/X.ts'), code: "import { Session } from '../session/Session';", errors: refused('electron/core/sources', 'electron/core/session') },
    { name: 'recording imports engine', filename: at('electron/core/recording/X.ts'), code: "import { createEngine } from '../engine';", errors: refused('electron/core/recording', 'electron/core/engine') },
    { name: 'the renderer imports native', filename: at('renderer/src/X.ts'), code: "import { clockInfo } from '../../native/index';", errors: refused('renderer', 'native') },
    { name: 'a host reaches past core into native', filename: at('electron/web/X.ts'), code: "import { clockInfo } from '../../native/index';", errors: refused('electron/web', 'native') },
    { name: 'native imports core, type only', filename: at('native/X.ts'), code: "import type { ProcessTable } from '../electron/core/model/ProcessTable';", errors: refused('native', 'electron/core/model') },
    { name: 'a dynamic import', filename: at('electron/core/procfs/X.ts'), code: "export const load = () => import('../model/ProcessTable');", errors: refused('electron/core/procfs', 'electron/core/model') },
    { name: 'a typeof import() type', filename: at('electron/core/model/X.ts'), code: "export type E = typeof import('../engine');", errors: refused('electron/core/model', 'electron/core/engine') },
    { name: 'an export from', filename: at('electron/preload/X.ts'), code: "export * from '../core/engine';", errors: refused('electron/preload', 'electron/core/engine') },
    { name: 'a require()', filename: at('bin/X.js'), code: "require('../electron/cli/main');", errors: refused('bin', 'electron/cli') },
    { name: 'an import = require()', filename: at('electron/common/X.ts'), code: "import engine = require('../core/engine');", errors: refused('electron/common', 'electron/core/engine') },
    { name: 'a host imports another host', filename: at('electron/main/X.ts'), code: "import { startWebHost } from '../web/webHost';", errors: refused('electron/main', 'electron/web') },
    {
      name: 'core imports electron',
      filename: at('electron/core/X.ts'),
      code: "import { app } from 'electron';",
      errors: [{ message: /^layering: electron\/core\/engine may not import the package 'electron'/ }],
    },
    {
      name: 'common imports react',
      filename: at('electron/common/X.ts'),
      code: "import { useState } from 'react';",
      errors: [{ message: /^layering: electron\/common may not import the package 'react'/ }],
    },
    {
      name: 'the renderer imports a node builtin, with or without node:',
      filename: at('renderer/src/X.ts'),
      code: "import fs from 'node:fs';\nimport path from 'path';",
      errors: [{ message: /^layering: renderer may not import the node builtin 'node:fs'/ }, { message: /^layering: renderer may not import the node builtin 'path'/ }],
    },
    {
      name: 'production code imports test code',
      filename: at('electron/core/model/X.ts'),
      code: "import { scanned } from './test/fixtures';",
      errors: [{ message: /^layering: production code may not import test code/ }],
    },
    {
      name: "a test imports a test helper of a layer above its own",
      filename: at('electron/core/model/X.test.ts'),
      code: "import { runStorm } from '../test/storm';",
      errors: refused('electron/core/model', 'electron/core/engine'),
    },
    {
      name: 'a file in no layer',
      filename: at('docs/X.ts'),
      code: 'export const x = 1;',
      errors: [{ message: /^layering: docs\/X\.ts is in no layer/ }],
    },
    {
      name: 'an import outside every layer',
      filename: at('electron/cli/X.ts'),
      code: "import { main } from '../../dist/electron/cli/main';",
      errors: [{ message: /^layering: '\.\.\/\.\.\/dist\/electron\/cli\/main' is outside every layer/ }],
    },
  ],
});

describe('the project lint', () => {
  it('runs the rule: a wrong-way import fails `eslint .` with the rule named', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText("import { createEngine } from '../engine';\nexport const engine = createEngine;\n", {
      filePath: at('electron/core/model/X.ts'),
    });
    const layeringErrors = result!.messages.filter((message) => message.ruleId === 'forkscope/layering');
    expect(layeringErrors).toHaveLength(1);
    expect(layeringErrors[0]).toMatchObject({ severity: 2, line: 1, message: expect.stringMatching(/^layering: electron\/core\/model may not import electron\/core\/engine/) });
  });
});
