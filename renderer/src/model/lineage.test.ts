import { describe, expect, it } from 'vitest';
import { describeProcessKey, lineageNote } from './lineage';
import { TreeModel } from './TreeModel';
import { delta, ManualClock, proc, snapshot } from './testing';

/** bash (100) forked a script (200) that forked a worker (300); the script exited first. */
function orphanedWorker(): TreeModel {
  const model = new TreeModel(new ManualClock());
  model.applySnapshot(snapshot(1, [proc(1, 0, 1, { comm: 'systemd' }), proc(100, '1@1', 50, { comm: 'bash' })]));
  model.applyDelta(
    delta(2, {
      added: [proc(200, '100@50', 60, { comm: 'sh', forkerKey: '100@50' }), proc(300, '200@60', 70, { comm: 'worker', forkerKey: '200@60' })],
    }),
  );
  model.applyDelta(delta(3, { exited: [{ key: '200@60', at: 1_700_000_001_000, code: 0 }] }));
  model.applyDelta(delta(4, { changed: [{ key: '300@70', ppid: 1, parentKey: '1@1' }] }));
  return model;
}

describe('lineage notes', () => {
  it('names the forker of a live orphan drawn under init', () => {
    const model = orphanedWorker();
    const worker = model.get('300@70')?.info;
    if (!worker) throw new Error('fixture broken');
    expect(lineageNote(model, worker)).toBe('forked by 200 sh (exited)');
    // A process under the one that forked it needs no note; one found by a scan has no forker.
    expect(lineageNote(model, model.get('200@60')!.info)).toBeNull();
    expect(lineageNote(model, model.get('100@50')!.info)).toBeNull();
  });

  it('names the parent an exited orphan had, once it is drawn back under its forker', () => {
    const model = orphanedWorker();
    model.applyDelta(delta(5, { exited: [{ key: '300@70', at: 1_700_000_001_500, code: 0 }] }));
    expect(lineageNote(model, model.get('300@70')!.info)).toBe('reparented to 1 systemd before it exited');
  });

  it('says when the forker is gone from the model, and shows hostile names escaped', () => {
    const model = orphanedWorker();
    model.applyDelta(delta(5, { removed: ['200@60'] }));
    expect(lineageNote(model, model.get('300@70')!.info)).toBe('forked by 200 (gone)');
    model.applyDelta(delta(6, { changed: [{ key: '100@50', comm: 'ba\nsh' }] }));
    expect(describeProcessKey(model, '100@50')).toBe('100 ba\\nsh');
  });
});
