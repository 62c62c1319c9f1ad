/**
 * Where a process came from, in words, when the tree alone does not say it: a live orphan hangs
 * under its current parent (init, a subreaper), so the process that forked it is named beside
 * it; an exited one hangs under its forker, so the parent the kernel had handed it to is named.
 */
import { parseProcKey, type ProcessInfo, type ProcKey } from '../../../electron/common/process';
import { visibleText } from '../text/visibleText';
import type { TreeModel } from './TreeModel';

/** "1234 bash", "1234 bash (exited)", or "1234 (gone)" once the model no longer holds it. */
export function describeProcessKey(model: TreeModel, key: ProcKey): string {
  const node = model.get(key);
  if (node) return `${node.info.pid} ${visibleText(node.info.comm)}${node.info.exit ? ' (exited)' : ''}`;
  const ref = parseProcKey(key);
  return ref ? `${ref.pid} (gone)` : visibleText(key);
}

/**
 * The lineage a process's place in the tree hides, or null when its forker is its parent (or
 * unknown: found by a scan). Live: "forked by 1234 bash". Exited under its forker after being
 * reparented: "reparented to 1 systemd before it exited".
 */
export function lineageNote(model: TreeModel, info: ProcessInfo): string | null {
  const { forkerKey, parentKey } = info;
  if (forkerKey === undefined || forkerKey === parentKey) return null;
  const drawnUnderForker = model.get(info.key)?.parent?.info.key === forkerKey;
  if (!drawnUnderForker) return `forked by ${describeProcessKey(model, forkerKey)}`;
  return parentKey === undefined ? null : `reparented to ${describeProcessKey(model, parentKey)} before it exited`;
}
