import { describe, expect, it } from 'vitest';
import { Camera } from './camera';

const READABLE = 0.5;
const TALL = { minX: 0, minY: -5000, maxX: 900, maxY: 5000 };

describe('Camera', () => {
  it('zooms about the pointer', () => {
    const camera = new Camera();
    camera.panBy(30, 40);
    const wx = camera.toWorldX(200);
    const wy = camera.toWorldY(100);
    camera.zoomAt(200, 100, 2.5);
    expect(camera.scale).toBe(2.5);
    expect(camera.toScreenX(wx)).toBeCloseTo(200);
    expect(camera.toScreenY(wy)).toBeCloseTo(100);
  });

  it('fits bounds inside the view, centred', () => {
    const camera = new Camera();
    camera.fit({ minX: 0, minY: -5000, maxX: 900, maxY: 5000 }, 800, 600, 10);
    expect(camera.toScreenY(-5010)).toBeCloseTo(0);
    expect(camera.toScreenY(5010)).toBeCloseTo(600);
    expect(camera.toScreenX(450)).toBeCloseTo(400);
  });

  it('pans just enough to keep a followed point in view', () => {
    const camera = new Camera();
    expect(camera.keepInView(100, 100, 800, 600, 50)).toBe(false);
    expect(camera.keepInView(2000, 100, 800, 600, 50)).toBe(true);
    expect(camera.toScreenX(2000)).toBe(750);
    expect(camera.toScreenY(100)).toBe(100);
  });

  it('frames a tree that fits readably exactly as fit() does', () => {
    const small = { minX: 0, minY: 0, maxX: 400, maxY: 300 };
    const framed = new Camera();
    framed.frame(small, 800, 600, 10, READABLE, { x: 0, y: 0 });
    const fitted = new Camera();
    fitted.fit(small, 800, 600, 10);
    expect(framed.scale).toBeGreaterThanOrEqual(READABLE);
    expect([framed.scale, framed.offsetX, framed.offsetY]).toEqual([fitted.scale, fitted.offsetX, fitted.offsetY]);
  });

  it('stops at the readable scale for a tree too tall to read whole, centred on the anchor', () => {
    const camera = new Camera();
    camera.frame(TALL, 800, 600, 10, READABLE, { x: 450, y: 1000 });
    expect(camera.scale).toBe(READABLE);
    expect(camera.toScreenY(1000)).toBeCloseTo(300);
    // 920 world units wide at 0.5 is 460 px: narrower than the view, so centred across.
    expect(camera.toScreenX(450)).toBeCloseTo(400);
  });

  it('keeps a framed anchor near an edge from showing empty space past the tree', () => {
    const camera = new Camera();
    camera.frame(TALL, 800, 600, 10, READABLE, { x: 0, y: -4990 });
    expect(camera.scale).toBe(READABLE);
    // The padded top edge is at the top of the view, not half a screen below it.
    expect(camera.toScreenY(-5010)).toBeCloseTo(0);
    const bottom = new Camera();
    bottom.frame(TALL, 800, 600, 10, READABLE, { x: 0, y: 5000 });
    expect(bottom.toScreenY(5010)).toBeCloseTo(600);
  });
});

