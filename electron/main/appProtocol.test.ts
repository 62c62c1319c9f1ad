/**
 * Our page's URLs, as the main process's own (Node) URL parser sees them: only forkscope://app
 * with no port is ours. Node gives custom schemes the opaque origin "null", so an origin
 * comparison would refuse our own page.
 */
import { expect, it, vi } from 'vitest';
import { APP_PAGE_URL, isAppUrl } from './appProtocol';

vi.mock('electron', () => ({ protocol: {} }));

it('accepts our page and its assets', () => {
  expect(isAppUrl(APP_PAGE_URL)).toBe(true);
  expect(isAppUrl('forkscope://app/assets/index.js?x#y')).toBe(true);
});

it('refuses other hosts, ports, schemes and junk', () => {
  for (const url of [
    'forkscope://app:8080/index.html',
    'forkscope://app.evil/index.html',
    'forkscope://other/index.html',
    'forkscope:app/index.html',
    'https://app/index.html',
    'file:///app/index.html',
    'about:blank',
    'not a url',
    '',
  ]) {
    expect(isAppUrl(url), url).toBe(false);
  }
});
