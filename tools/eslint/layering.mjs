// The `layering` lint rule, in the manner of VS Code's `code-layering`: every import is resolved
// (a relative path to the real path of the file it names, a bare specifier to its package) and
// checked against the allow-list of the importing file's layer (./layers.mjs). Checked: import
// and export-from declarations (type-only ones too), `import x = require()`, `import()` and
// `require()` with a literal specifier, and `typeof import()` types. A specifier computed at run
// time cannot be resolved and is left alone.
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYERS, TEST_FILES } from './layers.mjs';

/** The repository root: resolved once, through any symlink, like every path compared with it. */
const ROOT = realPath(fileURLToPath(new URL('../..', import.meta.url)));

/** A glob (`**`, `*`, `{a,b}`) over a root-relative path, as a RegExp. */
export function globToRegExp(glob) {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '{') source += '(?:';
    else if (c === '}') source += ')';
    else if (c === ',') source += '|';
    else source += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const matcher = (globs) => {
  const patterns = globs.map(globToRegExp);
  return (relative) => patterns.some((pattern) => pattern.test(relative));
};

/** The layers, compiled; a `may` naming no layer is a mistake in the table, caught at load. */
const layers = LAYERS.map((layer) => ({ ...layer, matches: matcher(layer.files) }));
const byName = new Map(layers.map((layer) => [layer.name, layer]));
for (const layer of layers) {
  for (const name of layer.may) if (!byName.has(name)) throw new Error(`layers.mjs: ${layer.name} may import '${name}', which is no layer`);
}
const isTestFile = matcher(TEST_FILES);

/** Every layer beneath each layer (its `may`, and theirs, and so on): whose test helpers its tests may use. */
const beneath = new Map(
  layers.map((layer) => {
    const seen = new Set();
    const visit = (name) => {
      for (const next of byName.get(name).may) {
        if (seen.has(next)) continue;
        seen.add(next);
        visit(next);
      }
    };
    visit(layer.name);
    return [layer.name, seen];
  }),
);

/** A list of layer names, each folder whose every layer is listed shortened to `folder/*`. */
function shortNames(names) {
  const folders = [...new Set(names.map((name) => path.posix.dirname(name)).filter((folder) => folder !== '.'))];
  const whole = folders.filter((folder) => layers.filter((layer) => layer.name.startsWith(`${folder}/`)).every((layer) => names.includes(layer.name)));
  const rest = names.filter((name) => !whole.includes(path.posix.dirname(name)));
  return [...whole.map((folder) => `${folder}/*`), ...rest];
}

/** The real path of `file`, or, when it does not exist, of its nearest existing folder plus the rest. */
function realPath(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(realPath(parent), path.basename(file));
  }
}

/** The file a relative specifier names, as TypeScript (nodenext or bundler) or Node would find it. */
function resolveFile(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(c|m)?js$/, '');
  const candidates = [base, ...['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs'].map((ext) => stem + ext), ...['ts', 'tsx', 'js'].map((ext) => path.join(base, `index.${ext}`))];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return realPath(candidate);
  }
  return realPath(base);
}

/** The root-relative path of an absolute one, or undefined outside the repository. */
function relativeToRoot(file) {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  return relative.startsWith('../') || relative === '..' || path.isAbsolute(relative) ? undefined : relative;
}

/** The layer that owns a root-relative path. */
export function layerOf(relative) {
  return relative === undefined ? undefined : layers.find((layer) => layer.matches(relative));
}

/** `react-dom/client` → `react-dom`, `@playwright/test/x` → `@playwright/test`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function allowance(layer, test) {
  const packages = [...(layer.packages ?? []), ...(test ? ['vitest', ...(layer.testPackages ?? [])] : [])];
  const may = layer.may.length > 0 ? shortNames(layer.may).join(', ') : '(no other layer)';
  const uses = [...(layer.node ? ['node builtins'] : []), ...packages];
  return `${layer.name}${test ? ' (test code)' : ''} may import: ${may}; packages: ${uses.length > 0 ? uses.join(', ') : '(none)'}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what its allow-list in tools/eslint/layers.mjs names' },
    schema: [],
    messages: {
      noLayer: "layering: {{file}} is in no layer: add its folder to tools/eslint/layers.mjs",
      layer: "layering: {{from}} may not import {{to}} ('{{specifier}}'). {{allowed}}",
      outside: "layering: '{{specifier}}' is outside every layer ({{target}}). {{allowed}}",
      package: "layering: {{from}} may not import the package '{{name}}' ('{{specifier}}'). {{allowed}}",
      builtin: "layering: {{from}} may not import the node builtin '{{specifier}}'. {{allowed}}",
      testCode: "layering: production code may not import test code ('{{specifier}}' is {{target}})",
    },
  },
  create(context) {
    const file = realPath(context.physicalFilename);
    const relative = relativeToRoot(file);
    const layer = layerOf(relative);
    const test = relative !== undefined && isTestFile(relative);

    function check(node, specifier) {
      if (!layer || typeof specifier !== 'string') return;
      const allowed = allowance(layer, test);
      const from = layer.name;
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
        const target = relativeToRoot(resolveFile(file, specifier));
        const targetLayer = layerOf(target);
        if (!targetLayer) {
          context.report({ node, messageId: 'outside', data: { specifier, target: target ?? 'outside the repository', allowed } });
          return;
        }
        const helper = test && isTestFile(target) && beneath.get(layer.name).has(targetLayer.name);
        if (targetLayer !== layer && !layer.may.includes(targetLayer.name) && !helper) {
          context.report({ node, messageId: 'layer', data: { from, to: targetLayer.name, specifier, allowed } });
          return;
        }
        if (!test && isTestFile(target)) context.report({ node, messageId: 'testCode', data: { specifier, target } });
        return;
      }
      if (isBuiltin(specifier)) {
        if (!layer.node) context.report({ node, messageId: 'builtin', data: { from, specifier, allowed } });
        return;
      }
      const name = packageName(specifier);
      const packages = [...(layer.packages ?? []), ...(test ? ['vitest', ...(layer.testPackages ?? [])] : [])];
      if (!packages.includes(name)) context.report({ node, messageId: 'package', data: { from, name, specifier, allowed } });
    }

    /** The string a literal or an expression-free template literal holds. */
    const literal = (node) =>
      node?.type === 'Literal' ? node.value : node?.type === 'TemplateLiteral' && node.expressions.length === 0 ? node.quasis[0].value.cooked : undefined;
    const fromSource = (node) => node.source && check(node.source, literal(node.source));

    return {
      Program(node) {
        if (!layer) context.report({ node, messageId: 'noLayer', data: { file: relative ?? file } });
      },
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node.source, literal(node.source)),
      TSImportType: (node) => check(node.source ?? node.argument, literal(node.source ?? node.argument?.literal)),
      TSExternalModuleReference: (node) => check(node.expression, literal(node.expression)),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length >= 1) check(node.arguments[0], literal(node.arguments[0]));
      },
    };
  },
};

/** The local plugin eslint.config.mjs registers: `forkscope/layering`. */
export const plugin = { meta: { name: 'forkscope' }, rules: { layering } };
