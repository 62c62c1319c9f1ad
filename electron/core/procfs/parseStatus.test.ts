import { describe, expect, it } from 'vitest';
import { parseStatus } from './parseStatus';
import { ProcParseError } from './ProcParseError';
import { fixtureText, manifest } from './test/fixtureTree';

describe('parseStatus', () => {
  it('unescapes Name so it equals comm, and reads ids, threads and Vm* in KiB', async () => {
    const status = parseStatus(await fixtureText(manifest.weirdComm, 'status'));
    expect(status.name).toBe('a) (b c\nd)');
    expect(status).toMatchObject({ state: 'S', tgid: manifest.weirdComm, pid: manifest.weirdComm, ppid: 18979, tracerPid: 0, threads: 1 });
    expect(status.uids).toEqual([0, 0, 0, 0]);
    expect(status.groups).toEqual([]);
    expect(status.nspid).toEqual([manifest.weirdComm]);
    expect(status.vm.VmPeak).toBe(2592);
    expect(status.vm.VmRSS).toBe(1616);
    expect(status.capEff).toBe('000001fffeffffff');
    expect(status.seccomp).toBe(0);
    expect(status.raw.Umask).toBe('0022');
  });

  it('keeps the spaces and tabs of a Name the kernel does not escape', async () => {
    // As the kernel writes comm " a\tb\\n<newline> ": tab and spaces raw, "\n" and "\" escaped.
    const text = (await fixtureText(manifest.weirdComm, 'status')).replace(/^Name:.*$/m, 'Name:\t a\tb\\\\n\\n ');
    expect(parseStatus(text).name).toBe(' a\tb\\n\n ');
  });

  it('reads the four uids and gids of another user', async () => {
    const status = parseStatus(await fixtureText(manifest.otherUser, 'status'));
    expect(status.uids).toEqual([65534, 65534, 65534, 65534]);
    expect(status.gids).toEqual([65534, 65534, 65534, 65534]);
    expect(status.capEff).toBe('0000000000000000');
  });

  it('lists the pid in every nested PID namespace, outermost first', async () => {
    const status = parseStatus(await fixtureText(manifest.nestedPidNs, 'status'));
    expect(status.nspid).toEqual([manifest.nestedPidNs, 1]);
  });

  it('has no Vm* sizes for a kernel thread or a zombie', async () => {
    expect(parseStatus(await fixtureText(manifest.kernelThread, 'status')).vm).toEqual({});
    const zombie = parseStatus(await fixtureText(manifest.zombie, 'status'));
    expect(zombie.state).toBe('Z');
    expect(zombie.vm).toEqual({});
  });

  it('rejects a status without the lines every task has', () => {
    expect(() => parseStatus('Name:\tx\n')).toThrow(ProcParseError);
    expect(() => parseStatus('Tgid:\t1\n')).toThrow(/no Name line/);
  });
});
