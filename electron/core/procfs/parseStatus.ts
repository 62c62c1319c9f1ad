/**
 * /proc/PID/status: "Key:\tvalue" lines. Uid/Gid carry four ids (real, effective, saved, fs),
 * NSpid the pid in each nested PID namespace (outermost first), Vm* sizes in kB.
 */
import type { StatusFields } from '../../common/detail';
import { ProcParseError } from './ProcParseError';

/**
 * The kernel escapes the Name line (a task may name itself "a\nb"): "\n" becomes the two
 * characters '\' 'n' and a backslash is doubled. Undo that so Name equals comm.
 */
const NAME_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', e: '\x1b', '\\': '\\' };

function unescapeName(escaped: string): string {
  return escaped.replace(/\\(.)/gs, (whole, ch: string) => NAME_ESCAPES[ch] ?? whole);
}

function splitLines(text: string): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    // Values are separated from the key by a tab (sometimes preceded by padding spaces). Name is
    // the task's own text: only "\n" and "\\" are escaped, so its spaces and tabs are kept as is.
    const value = line.slice(colon + 1).replace(/^\t/, '');
    raw[key] = key === 'Name' ? value : value.trim();
  }
  return raw;
}

function numbers(raw: Record<string, string>, key: string): number[] {
  const value = raw[key];
  if (value === undefined || value === '') return [];
  return value.split(/\s+/).map((part) => {
    const n = Number(part);
    if (!Number.isInteger(n)) throw new ProcParseError('status', `${key} holds a non-integer: ${JSON.stringify(part)}`);
    return n;
  });
}

function requiredNumber(raw: Record<string, string>, key: string): number {
  const [n] = numbers(raw, key);
  if (n === undefined) throw new ProcParseError('status', `no ${key} line`);
  return n;
}

function optionalNumber(raw: Record<string, string>, key: string): number | undefined {
  return raw[key] === undefined ? undefined : requiredNumber(raw, key);
}

function fourIds(raw: Record<string, string>, key: string): [number, number, number, number] {
  const ids = numbers(raw, key);
  const [real, effective, saved, fs] = ids;
  if (real === undefined || effective === undefined || saved === undefined || fs === undefined) {
    throw new ProcParseError('status', `${key} must hold four ids`);
  }
  return [real, effective, saved, fs];
}

/** "VmRSS:\t    5264 kB" → vm.VmRSS = 5264 (KiB). */
function vmSizes(raw: Record<string, string>): Record<string, number> {
  const vm: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('Vm')) continue;
    const m = /^(\d+) kB$/.exec(value);
    if (m) vm[key] = Number(m[1]);
  }
  return vm;
}

export function parseStatus(text: string): StatusFields {
  const raw = splitLines(text);
  const name = raw.Name;
  if (name === undefined) throw new ProcParseError('status', 'no Name line');
  const status: StatusFields = {
    name: unescapeName(name),
    // "S (sleeping)" → "S", the same letter stat shows.
    state: (raw.State ?? '').split(' ')[0] ?? '',
    tgid: requiredNumber(raw, 'Tgid'),
    pid: requiredNumber(raw, 'Pid'),
    ppid: requiredNumber(raw, 'PPid'),
    tracerPid: requiredNumber(raw, 'TracerPid'),
    uids: fourIds(raw, 'Uid'),
    gids: fourIds(raw, 'Gid'),
    groups: numbers(raw, 'Groups'),
    // NSpid appeared in Linux 4.1; without it the pid is known in one namespace only.
    nspid: raw.NSpid === undefined ? [requiredNumber(raw, 'Pid')] : numbers(raw, 'NSpid'),
    threads: requiredNumber(raw, 'Threads'),
    vm: vmSizes(raw),
    raw,
  };
  const voluntary = optionalNumber(raw, 'voluntary_ctxt_switches');
  if (voluntary !== undefined) status.voluntaryCtxtSwitches = voluntary;
  const nonvoluntary = optionalNumber(raw, 'nonvoluntary_ctxt_switches');
  if (nonvoluntary !== undefined) status.nonvoluntaryCtxtSwitches = nonvoluntary;
  if (raw.CapEff !== undefined) status.capEff = raw.CapEff;
  if (raw.CapPrm !== undefined) status.capPrm = raw.CapPrm;
  const seccomp = optionalNumber(raw, 'Seccomp');
  if (seccomp !== undefined) status.seccomp = seccomp;
  return status;
}
