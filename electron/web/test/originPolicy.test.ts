import { describe, expect, it } from 'vitest';
import { HostPolicy } from '../originPolicy';

describe('HostPolicy', () => {
  it('accepts our names with our port only, and our own http origin', () => {
    const policy = new HostPolicy('127.0.0.1', 8080);
    expect(['127.0.0.1:8080', 'LOCALHOST:8080', '[::1]:8080'].map((h) => policy.hostAllowed(h))).toEqual([true, true, true]);
    expect(['127.0.0.1', '127.0.0.1:80', 'evil.example:8080', undefined].map((h) => policy.hostAllowed(h))).toEqual([false, false, false, false]);
    expect(policy.originAllowed('http://localhost:8080')).toBe(true);
    expect(policy.originAllowed('http://127.0.0.1')).toBe(false);
    expect(policy.originAllowed('https://127.0.0.1:8080')).toBe(false);
    expect(policy.originAllowed('null')).toBe(false);
  });

  it('on port 80 accepts Host and Origin without the port, as browsers send them', () => {
    const policy = new HostPolicy('127.0.0.1', 80);
    expect(policy.hostAllowed('127.0.0.1')).toBe(true);
    expect(policy.hostAllowed('127.0.0.1:80')).toBe(true);
    expect(policy.hostAllowed('evil.example')).toBe(false);
    expect(policy.originAllowed('http://127.0.0.1')).toBe(true);
    expect(policy.originAllowed('http://evil.example')).toBe(false);
  });
});
