/**
 * /proc/PID/cgroup: "hierarchy-id:controllers:path" per line; "0::/path" is cgroup v2. The path
 * may itself contain ':' so only the first two colons split.
 */
import type { CgroupEntry } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

export function parseCgroup(text: string): CgroupEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const first = line.indexOf(':');
      const second = line.indexOf(':', first + 1);
      if (first < 0 || second < 0) throw new ProcParseError('cgroup', `line without two ':': ${JSON.stringify(line)}`);
      return { hierarchy: line.slice(0, first), controllers: line.slice(first + 1, second), path: line.slice(second + 1) };
    });
}
