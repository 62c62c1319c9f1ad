import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PASSWD } from './test/fixtureTree';
import { createUserNames, parsePasswd } from './userNames';

describe('user names', () => {
  it('names uids from a real passwd file and falls back to the number', async () => {
    const users = createUserNames(FIXTURE_PASSWD);
    expect(users.name(0)).toBe('0');
    await users.refresh();
    expect(users.name(0)).toBe('root');
    expect(users.name(65534)).toBe('nobody');
    expect(users.name(4242)).toBe('4242');
  });

  it('re-reads the file when its mtime changes, and only then', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forkscope-passwd-'));
    const path = join(dir, 'passwd');
    try {
      await writeFile(path, 'alice:x:1000:1000::/home/alice:/bin/sh\n');
      await utimes(path, 1000, 1000);
      const users = createUserNames(path);
      await users.refresh();
      expect(users.name(1000)).toBe('alice');
      // Same mtime: the cache stands even though the content changed.
      await writeFile(path, 'bob:x:1000:1000::/home/bob:/bin/sh\n');
      await utimes(path, 1000, 1000);
      await users.refresh();
      expect(users.name(1000)).toBe('alice');
      await utimes(path, 2000, 2000);
      await users.refresh();
      expect(users.name(1000)).toBe('bob');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows numbers when there is no passwd file', async () => {
    const users = createUserNames('/nonexistent/passwd');
    await users.refresh();
    expect(users.name(0)).toBe('0');
  });

  it('keeps the first entry for a uid and skips malformed lines', () => {
    expect(parsePasswd('root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n#c\nbroken\nx:x:notanumber:0::/:/bin/sh\n')).toEqual(new Map([[0, 'root']]));
  });
});
