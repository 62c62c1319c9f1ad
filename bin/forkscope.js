#!/usr/bin/env node
'use strict';
// Entry point of the `forkscope` command and of `npm start`. The real code is TypeScript compiled
// into dist/ by `npm run build` (run automatically by `npm ci`).
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'electron', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`forkscope: not built yet: run \`npm ci\` (or \`npm run build\`) in ${root}\n`);
  process.exit(1);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`forkscope: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
