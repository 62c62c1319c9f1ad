/**
 * Packaging, checked without building a package (that needs the Electron binary): the .deb
 * maintainer scripts are valid shell once electron-builder fills in their macros, they set up
 * the capture helper, and electron-builder.yml passes electron-builder's own schema and wires
 * the scripts and the helper.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, 'electron-builder.yml');
// electron-builder's own validator and YAML reader (dependencies of the electron-builder package).
const requireFromBuilder = createRequire(require.resolve('electron-builder'));
const yaml = requireFromBuilder('js-yaml') as { load(text: string): Record<string, unknown> };
const { validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = requireFromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** The macros electron-builder defines for deb scripts (FpmTarget's bashTemplateOptions, in part). */
const MACROS: Record<string, string> = { executable: 'forkscope', sanitizedProductName: 'Forkscope', productFilename: 'Forkscope' };

/** Fills in a template as electron-builder does, failing on a macro it would not know. */
function expand(template: string): string {
  return template.replace(/\$\{([a-zA-Z]+)\}/g, (_match, name: string) => {
    if (!(name in MACROS)) throw new Error(`Macro ${name} is not defined`);
    return MACROS[name] as string;
  });
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('the .deb maintainer scripts', () => {
  for (const script of ['after-install.sh', 'after-remove.sh']) {
    it.skipIf(!hasShellcheck)(`${script} passes shellcheck once expanded`, () => {
      const expanded = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-deb-')), script);
      fs.writeFileSync(expanded, expand(fs.readFileSync(path.join(__dirname, script), 'utf8')));
      const run = spawnSync('shellcheck', ['--shell=bash', '--severity=style', expanded], { encoding: 'utf8' });
      expect(run.stdout + run.stderr).toBe('');
      expect(run.status).toBe(0);
      fs.rmSync(path.dirname(expanded), { recursive: true });
    });
  }

  it('postinst keeps electron-builder steps and gives the helper its group, mode and capabilities', () => {
    const postinst = expand(fs.readFileSync(path.join(__dirname, 'after-install.sh'), 'utf8'));
    expect(postinst).toMatch(/update-alternatives --install '\/usr\/bin\/forkscope'/);
    expect(postinst).toMatch(/chmod 4755 '\/opt\/Forkscope\/chrome-sandbox'/);
    expect(postinst).toContain("HELPER='/opt/Forkscope/resources/forkscope-helper'");
    expect(postinst).toMatch(/groupadd --system forkscope/);
    expect(postinst).toMatch(/chown root:forkscope "\$HELPER" && chmod 0750 "\$HELPER"/);
    expect(postinst).toMatch(/setcap cap_net_admin,cap_sys_nice\+ep "\$HELPER"/);
  });
});

describe('electron-builder.yml', () => {
  const config = yaml.load(fs.readFileSync(CONFIG, 'utf8'));

  it('passes electron-builder’s schema (and the schema does reject a wrong key)', async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    const wrong = structuredClone(config) as { deb: Record<string, unknown> };
    wrong.deb.afterInstal = 'typo.sh';
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });

  it('ships the helper outside the asar and wires the maintainer scripts', () => {
    const deb = config.deb as Record<string, unknown>;
    expect(config.extraResources).toContainEqual({ from: 'native/build/Release/forkscope-helper', to: 'forkscope-helper' });
    for (const key of ['afterInstall', 'afterRemove']) expect(fs.existsSync(path.join(ROOT, deb[key] as string))).toBe(true);
    expect(deb.depends).toContain('libcap2-bin');
  });
});
