import { describe, expect, it } from 'vitest';
import { parseCmdline } from './parseCmdline';
import { parseEnviron } from './parseEnviron';
import { fixtureBytes, manifest } from './test/fixtureTree';

const WEIRD_ARGV0 = '/tmp/forkscope-capture.i2fIDQ/a) (b c\nd)';

describe('parseCmdline', () => {
  it('splits argv on NUL and replaces bytes that are not UTF-8, saying so', async () => {
    const result = parseCmdline(await fixtureBytes(manifest.weirdComm, 'cmdline'));
    expect(result.items).toEqual([WEIRD_ARGV0, '-c', 'sleep 1000; exit 0', 'argv0', 'café', '\uFFFD\uFFFD']);
    expect(result.lossy).toBe(true);
    expect(result.truncated).toBe(false);
  });

  it('is not lossy for plain UTF-8', async () => {
    const result = parseCmdline(await fixtureBytes(manifest.deletedExe, 'cmdline'));
    expect(result).toEqual({ items: ['/tmp/forkscope-capture.i2fIDQ/fsleep', '1000'], lossy: false, truncated: false });
  });

  it('gives no items for the empty cmdline of a zombie or a kernel thread', async () => {
    expect(parseCmdline(await fixtureBytes(manifest.zombie, 'cmdline')).items).toEqual([]);
    expect(parseCmdline(await fixtureBytes(manifest.kernelThread, 'cmdline')).items).toEqual([]);
  });

  it('cuts at the cap, marks it truncated, and does not split a UTF-8 character', async () => {
    const bytes = await fixtureBytes(manifest.weirdComm, 'cmdline');
    // "café" is 63 + 5 bytes in: cut right after the first byte of "é".
    const cafeEnd = bytes.indexOf(Buffer.from('café')) + 4;
    const cut = parseCmdline(bytes, cafeEnd);
    expect(cut.truncated).toBe(true);
    expect(cut.items.at(-1)).toBe('caf');
    expect(cut.lossy).toBe(false);
    expect(cut.items).toHaveLength(5);
  });

  it('keeps text after the last NUL (argv rewritten without a terminator)', () => {
    expect(parseCmdline(Buffer.from('nginx: worker process')).items).toEqual(['nginx: worker process']);
  });

  it('honours a truncation already made by the reader', () => {
    expect(parseCmdline(Buffer.from('a\0b'), 100, true).truncated).toBe(true);
  });
});

describe('parseEnviron', () => {
  it('splits NAME=value at the first "=" and flags invalid bytes', async () => {
    const result = parseEnviron(await fixtureBytes(manifest.weirdComm, 'environ'));
    expect(result.entries).toEqual([
      { name: 'PATH', value: '/usr/bin:/bin' },
      { name: 'LANG', value: 'C.UTF-8' },
      { name: 'FORKSCOPE_FIXTURE', value: '1' },
      { name: 'BYTES', value: '\uFFFD\uFFFD' },
    ]);
    expect(result.lossy).toBe(true);
    expect(result.truncated).toBe(false);
  });

  it('keeps "=" inside values and tolerates entries without one', () => {
    expect(parseEnviron(Buffer.from('A=b=c\0NOEQUALS\0')).entries).toEqual([
      { name: 'A', value: 'b=c' },
      { name: 'NOEQUALS', value: '' },
    ]);
  });
});
