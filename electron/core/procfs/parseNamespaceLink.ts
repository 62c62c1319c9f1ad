/** A /proc/PID/ns/NAME link target, "pid:[4026531836]", into its type and inode. */
import type { NamespaceEntry } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

/**
 * @param name the link's file name: "pid", "pid_for_children", "net", ... — the type is taken
 *   from it, since pid and pid_for_children both point at a "pid:[…]" target.
 */
export function parseNamespaceLink(name: string, target: string): NamespaceEntry {
  const m = /^[a-z_]+:\[(\d+)\]$/.exec(target);
  if (!m) throw new ProcParseError(`PID/ns/${name}`, `link target is not "type:[inode]": ${JSON.stringify(target)}`);
  return { type: name, target, inode: Number(m[1]) };
}
