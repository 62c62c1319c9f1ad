/**
 * Everything here trusts that the root it reads is the kernel's procfs. A bind mount of some other
 * directory, a FUSE stand-in or a missing /proc would make every reader return nonsense, so the
 * hosts check it once at start and refuse with a clear error.
 */
import { statfs } from 'node:fs/promises';
import { errnoCode } from './unreadable';

/** f_type of procfs (linux/magic.h). */
export const PROC_SUPER_MAGIC = 0x9fa0;

export async function verifyProcfs(root = '/proc'): Promise<void> {
  let type: number;
  try {
    type = (await statfs(root)).type;
  } catch (error) {
    const code = errnoCode(error) ?? String(error);
    throw new Error(`cannot inspect ${root} (${code}): processes are read from procfs, which must be mounted there`, { cause: error });
  }
  if (type !== PROC_SUPER_MAGIC) {
    throw new Error(
      `${root} is not procfs (filesystem type 0x${type.toString(16)}, expected PROC_SUPER_MAGIC 0x${PROC_SUPER_MAGIC.toString(16)}): ` +
        'mount it with "mount -t proc proc /proc"',
    );
  }
}
