import { describe, expect, it } from 'vitest';
import { applyFilter, parseFilter } from '../model/filter';
import { delta, NGINX_UNIT, proc, twoGroupModel, WEB_CONTAINER } from '../model/testing';
import { DEFAULT_AGGREGATE_OPTIONS } from './aggregates';
import { computeLayout } from './computeLayout';
import { processLabel } from './nodeLabel';
import { buildScene, SceneFlag, type Scene, type SceneOptions } from './scene';

function options(extra: Partial<SceneOptions> = {}): SceneOptions {
  return { filter: null, focusKey: null, expanded: new Set(), aggregate: DEFAULT_AGGREGATE_OPTIONS, now: 1000, byGroup: true, ...extra };
}

/** The scene as indented labels: headers in brackets, processes by pid, "·" for a dimmed one. */
function outline(scene: Scene): string[] {
  const depth = (i: number): number => (scene.parent[i]! < 0 ? 0 : depth(scene.parent[i]!) + 1);
  return scene.entries.map((entry, i) => {
    const info = 'info' in entry ? entry.info : null;
    const text = scene.flags[i]! & SceneFlag.group ? `[${processLabel(info!, 80)}]` : `${info!.pid}${scene.flags[i]! & SceneFlag.dimmed ? '·' : ''}`;
    return `${'  '.repeat(depth(i))}${text}`;
  });
}

describe('the tree by group', () => {
  it('roots the forest at one header per group, each group’s processes in lineage beneath it', () => {
    const scene = buildScene(twoGroupModel(), options());
    expect(outline(scene)).toEqual([
      '[nginx.service · 3 processes]',
      '  10',
      '    11',
      '  22',
      '[web-frontend · 2 processes]',
      '  20',
      '    21',
      '[no group · 2 processes]',
      '  1',
      '    15',
    ]);
    // Only headers are roots, and they are flagged as no process.
    const roots = scene.keys.filter((_, i) => scene.parent[i] === -1);
    expect(roots).toEqual([`group:${NGINX_UNIT.id}`, `group:${WEB_CONTAINER.id}`, 'group:']);
    expect(scene.keys.filter((_, i) => scene.flags[i]! & SceneFlag.group)).toEqual(roots);
    // The layout takes it as any forest: headers in the first column, one row per leaf.
    const layout = computeLayout(1, scene.parent);
    expect(roots.map((key) => layout.x[scene.indexByKey.get(key)!])).toEqual([0, 0, 0]);
    expect(layout.x[scene.indexByKey.get('22@7')!]).toBe(layout.x[scene.indexByKey.get('10@2')!]);
  });

  it('is the plain tree when not grouped', () => {
    const scene = buildScene(twoGroupModel(), options({ byGroup: false }));
    expect(outline(scene)).toEqual(['1', '  10', '    11', '  15', '    20', '      21', '        22']);
  });

  it('filters by group: the group’s header and processes, their ancestors dimmed under theirs', () => {
    const m = twoGroupModel();
    const parsed = parseFilter('group:web-frontend', false);
    if (parsed.kind !== 'match') throw new Error('expected a matcher');
    const scene = buildScene(m, options({ filter: applyFilter(m, parsed.test) }));
    expect(outline(scene)).toEqual(['[web-frontend · 2 processes]', '  20', '    21', '[no group · 2 processes]', '  1·', '    15·']);
  });

  it('focuses a subtree by group: only the groups below the focus', () => {
    const m = twoGroupModel();
    const scene = buildScene(m, options({ focusKey: m.liveByPid(20)!.info.key }));
    expect(outline(scene)).toEqual(['[nginx.service · 1 process]', '  22', '[web-frontend · 2 processes]', '  20', '    21']);
  });

  it('stays still as processes come: a newcomer is placed after its siblings, nothing before it moves', () => {
    const m = twoGroupModel();
    const before = buildScene(m, options()).keys;
    expect(m.applyDelta(delta(2, { added: [proc(12, '10@2', 8, { group: NGINX_UNIT }), proc(30, '1@1', 9, { group: NGINX_UNIT })] }))).toBe('ok');
    const after = buildScene(m, options()).keys;
    // 12 goes under nginx 10 after 11; 30 (init's child, in nginx) is nginx's newest entry point.
    expect(after).toEqual([...before.slice(0, 3), '12@8', '22@7', '30@9', ...before.slice(4)]);
  });
});
