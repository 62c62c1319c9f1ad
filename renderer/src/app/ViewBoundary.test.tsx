import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { failureText, ViewBoundary } from './ViewBoundary';

function Thrower(): never {
  throw new Error('cannot read properties of undefined (reading "argv")');
}

/**
 * React's part of a boundary (catching the throw, then rendering again) needs a DOM, which the
 * unit tests do not have: run the same steps by hand — a child throws, React hands the error to
 * getDerivedStateFromError, and the boundary renders with that state.
 */
function renderAfterThrow(props: { view: string; onClose?: () => void }): { markup: string; boundary: ViewBoundary } {
  let thrown: unknown;
  try {
    renderToStaticMarkup(<Thrower />);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Error);
  const boundary = new ViewBoundary({ ...props, children: <Thrower /> });
  boundary.state = ViewBoundary.getDerivedStateFromError(thrown);
  return { markup: renderToStaticMarkup(<>{boundary.render()}</>), boundary };
}

describe('ViewBoundary', () => {
  it('renders its view untouched while nothing fails', () => {
    expect(renderToStaticMarkup(<ViewBoundary view="process tree">{<p>tree</p>}</ViewBoundary>)).toBe('<p>tree</p>');
  });

  it('shows which view failed and why in its place, with a way to try again', () => {
    const { markup, boundary } = renderAfterThrow({ view: 'process tree' });
    expect(markup).toContain('role="alert"');
    expect(markup).toContain('The process tree failed: cannot read properties of undefined (reading &quot;argv&quot;)');
    expect(markup).toContain('>Try again</button>');
    expect(markup).not.toContain('Close');
    const setState = vi.spyOn(boundary, 'setState').mockImplementation(() => {});
    boundary.retry();
    expect(setState).toHaveBeenCalledWith({ error: undefined, failed: false });
  });

  it('offers to close a pane or dialog whose own close button may be what broke', () => {
    expect(renderAfterThrow({ view: 'detail pane of 7@70', onClose: () => {} }).markup).toContain('>Close</button>');
  });

  it('says what failed as plain, bounded text, whatever was thrown', () => {
    expect(failureText('timeline', new Error('bad\nline\u202e'))).toBe('The timeline failed: bad\\nline\\u202e');
    expect(failureText('timeline', 'a string')).toBe('The timeline failed: a string');
    expect(failureText('timeline', undefined)).toBe('The timeline failed: undefined');
    const long = failureText('timeline', new Error('x'.repeat(10_000)));
    expect(long.length).toBeLessThan(400);
    expect(long).toMatch(/… \(\+9700 chars\)$/);
  });
});
