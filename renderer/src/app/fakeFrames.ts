/**
 * Frames a test drives by hand, for FrameLoop: run(now) is one browser frame. Test-only (imported
 * by *.test.ts files, never by the app, so never bundled).
 */
import type { FrameHost } from './frameLoop';

export function fakeFrames(): FrameHost & { readonly pending: number; run(now: number): void } {
  let next: ((now: number) => void) | null = null;
  let requests = 0;
  return {
    get pending() {
      return next ? 1 : 0;
    },
    request(callback) {
      if (next) throw new Error('two frames requested at once');
      next = callback;
      return ++requests;
    },
    cancel() {
      next = null;
    },
    run(now) {
      const callback = next;
      next = null;
      callback?.(now);
    },
  };
}
