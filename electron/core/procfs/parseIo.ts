/** /proc/PID/io: byte and syscall counters (readable by the owner with ptrace access only). */
import type { IoFields } from '../../common/detail';
import { ProcParseError } from './ProcParseError';
import { parseKeyValueNumbers } from './parseKeyValueNumbers';

export function parseIo(text: string): IoFields {
  const values = parseKeyValueNumbers('io', text);
  const get = (key: string): number => {
    const value = values.get(key);
    if (value === undefined) throw new ProcParseError('io', `no ${key} line`);
    return value;
  };
  return {
    rchar: get('rchar'),
    wchar: get('wchar'),
    syscr: get('syscr'),
    syscw: get('syscw'),
    readBytes: get('read_bytes'),
    writeBytes: get('write_bytes'),
    cancelledWriteBytes: get('cancelled_write_bytes'),
  };
}
