import { describe, expect, it } from 'vitest';
import { Camera } from './camera';

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
});
