import { describe, expect, it } from 'vitest';
import { oneLineReason } from '../readers/running';

describe('oneLineReason', () => {
  it('picks the line of a Node stack trace that names the error', () => {
    const stderr = "node:internal/modules/cjs/loader:1210\n  throw err;\n  ^\n\nError: Cannot find module './commands/events'\nRequire stack:\n";
    expect(oneLineReason(stderr)).toBe("Error: Cannot find module './commands/events'");
    expect(oneLineReason('')).toBe('no message');
  });
});
