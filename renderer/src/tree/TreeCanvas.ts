/**
 * The engine behind <TreeView>: two stacked canvases, one requestAnimationFrame loop, a layout
 * worker and the input handlers. React only mounts it and passes props; everything per-frame
 * happens here, outside React.
 *
 * Layers: the lower canvas holds the edges, which change only when the layout or the camera does;
 * the upper canvas holds the nodes, which animate (grow, flash, fade) and are redrawn whenever
 * something moves. Relayout runs at most every RELAYOUT_MS, never per event.
 */
import type { ProcKey } from '../../../electron/common/process';
import type { RNode, TreeModel } from '../model/TreeModel';
import { DEFAULT_AGGREGATE_OPTIONS } from './aggregates';
import { Camera } from './camera';
import { drawEdges, drawNodes, PixelSurface, type Viewport } from './drawTree';
import { HitGrid } from './hitGrid';
import { ROW_HEIGHT, type LayoutReply, type LayoutResult } from './layoutProtocol';
import { PositionTween } from './positionTween';
import { buildScene, isAggregate, type Scene } from './scene';

export interface TreeViewSettings {
  model: TreeModel;
  selectedKey: ProcKey | null;
  onSelect(key: ProcKey | null): void;
  filter: ((node: RNode) => boolean) | null;
  focusKey: ProcKey | null;
  fadeMs: number;
}

const RELAYOUT_MS = 250;
const WHEEL_ZOOM = 0.0015;
const KEY_ZOOM = 1.25;
const DRAG_THRESHOLD_PX = 4;
const FOLLOW_MARGIN_PX = 60;

interface Laid {
  scene: Scene;
  layout: LayoutResult;
  tween: PositionTween;
  grid: HitGrid;
  /** performance.now() when each index first appeared in a layout; -Infinity for the first one. */
  appearedAt: Float64Array;
}

export class TreeCanvas {
  private settings: TreeViewSettings;
  private readonly camera = new Camera();
  private readonly edgePixels = new PixelSurface();
  private readonly nodePixels = new PixelSurface();
  private readonly worker: Worker;
  private laid: Laid | null = null;
  /** The scene sent to the worker, awaiting its positions. */
  private pending: { id: number; scene: Scene } | null = null;
  private nextRequestId = 1;
  private lastLayoutAt = -Infinity;
  private sceneDirty = true;
  /** Bypass the relayout throttle (the user changed filter, focus or opened an aggregate). */
  private sceneUrgent = true;
  private edgesDirty = true;
  private nodesDirty = true;
  private needsFit = true;
  private follow = false;
  private readonly expanded = new Set<ProcKey>();
  private width = 0;
  private height = 0;
  private dpr = 1;
  private frame = 0;
  private disposed = false;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly edgeCanvas: HTMLCanvasElement,
    private readonly nodeCanvas: HTMLCanvasElement,
    settings: TreeViewSettings,
  ) {
    this.settings = settings;
    this.worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<LayoutReply>) => this.onLayout(event.data);
    this.worker.onerror = (event) => {
      // A broken worker would freeze the tree silently; say why and let the next change retry.
      console.error('tree layout worker failed:', event.message);
      this.pending = null;
    };
    this.listen();
    this.schedule();
  }

  update(next: TreeViewSettings): void {
    const prev = this.settings;
    this.settings = next;
    if (prev.filter !== next.filter || prev.focusKey !== next.focusKey || prev.model !== next.model) {
      this.sceneDirty = true;
      this.sceneUrgent = true;
      if (prev.focusKey !== next.focusKey) this.needsFit = true;
    }
    if (prev.selectedKey !== next.selectedKey || prev.fadeMs !== next.fadeMs) this.nodesDirty = true;
    this.schedule();
  }

  /** The model moved on: relayout soon (throttled) and redraw what animates. */
  modelChanged(): void {
    this.sceneDirty = true;
    this.nodesDirty = true;
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    this.worker.terminate();
    for (const cleanup of this.cleanups) cleanup();
  }

  private schedule(): void {
    if (this.frame === 0 && !this.disposed) this.frame = requestAnimationFrame((now) => this.onFrame(now));
  }

  private onFrame(now: number): void {
    this.frame = 0;
    if (this.disposed) return;
    const laid = this.laid;
    if (laid && now >= laid.scene.changesAt) this.sceneDirty = true;
    if (this.sceneDirty && !this.pending && (this.sceneUrgent || now - this.lastLayoutAt >= RELAYOUT_MS)) this.requestLayout(now);

    let keepGoing = this.sceneDirty;
    if (laid) {
      if (laid.tween.advance(now)) {
        this.edgesDirty = true;
        this.nodesDirty = true;
      }
      if (!laid.tween.settled) keepGoing = true;
      if (this.needsFit && this.width > 0) {
        this.camera.fit(laid.layout.bounds, this.width, this.height, ROW_HEIGHT * 2);
        this.needsFit = false;
        this.edgesDirty = this.nodesDirty = true;
      }
      if (this.follow) this.keepSelectionInView(laid);
      if (this.edgesDirty) this.drawEdgeLayer(laid);
      if (this.nodesDirty && this.drawNodeLayer(laid, now)) keepGoing = true;
    }
    if (keepGoing) this.schedule();
  }

  private requestLayout(now: number): void {
    const { model, filter, focusKey } = this.settings;
    const scene = buildScene(model, { filter, focusKey, expanded: this.expanded, aggregate: DEFAULT_AGGREGATE_OPTIONS, now });
    const id = this.nextRequestId++;
    this.pending = { id, scene };
    this.sceneDirty = false;
    this.sceneUrgent = false;
    this.lastLayoutAt = now;
    // The scene keeps its own copy of the parent array; the worker gets a transferred one.
    const parent = scene.parent.slice();
    this.worker.postMessage({ id, parent }, [parent.buffer]);
  }

  private onLayout(reply: LayoutReply): void {
    if (this.disposed || !this.pending || reply.id !== this.pending.id) return;
    const { scene } = this.pending;
    this.pending = null;
    if (reply.type === 'error') {
      console.error('tree layout failed:', reply.message);
      return;
    }
    const layout = reply.result;
    const previous = this.laid;
    const now = performance.now();
    const tween = new PositionTween(
      { keys: scene.keys, parent: scene.parent, x: layout.x, y: layout.y },
      now,
      previous ? { indexByKey: previous.scene.indexByKey, x: previous.tween.x, y: previous.tween.y } : null,
    );
    const appearedAt = new Float64Array(scene.keys.length).fill(-Infinity);
    if (previous) {
      for (let i = 0; i < scene.keys.length; i++) {
        const old = previous.scene.indexByKey.get(scene.keys[i]!);
        appearedAt[i] = old === undefined ? now : previous.appearedAt[old]!;
      }
    }
    this.laid = { scene, layout, tween, grid: new HitGrid(layout.x, layout.y), appearedAt };
    this.edgesDirty = this.nodesDirty = true;
    this.schedule();
  }

  private selectedIndex(laid: Laid): number {
    const key = this.settings.selectedKey;
    return key === null ? -1 : (laid.scene.indexByKey.get(key) ?? -1);
  }

  private keepSelectionInView(laid: Laid): void {
    const i = this.selectedIndex(laid);
    if (i < 0) return;
    if (this.camera.keepInView(laid.tween.x[i]!, laid.tween.y[i]!, this.width, this.height, FOLLOW_MARGIN_PX)) {
      this.edgesDirty = this.nodesDirty = true;
    }
  }

  private prepare(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    return ctx;
  }

  private drawEdgeLayer(laid: Laid): void {
    this.edgesDirty = false;
    const ctx = this.prepare(this.edgeCanvas);
    if (ctx) drawEdges(ctx, this.edgePixels, laid.scene, laid.tween.x, laid.tween.y, this.camera, this.viewport());
  }

  /** Returns whether nodes are still animating. */
  private drawNodeLayer(laid: Laid, now: number): boolean {
    this.nodesDirty = false;
    const ctx = this.prepare(this.nodeCanvas);
    if (!ctx) return false;
    const animating = drawNodes(ctx, this.nodePixels, laid.scene, laid.tween.x, laid.tween.y, this.camera, this.viewport(), { now, fadeMs: this.settings.fadeMs, appearedAt: laid.appearedAt }, this.selectedIndex(laid));
    if (animating) this.nodesDirty = true;
    if (this.follow) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillStyle = 'rgba(216,222,233,0.7)';
      ctx.fillText('following selection (f to stop)', 8, 8);
    }
    return animating;
  }

  private viewport(): Viewport {
    return { width: this.width, height: this.height, dpr: this.dpr };
  }

  private resize(width: number, height: number): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = width;
    this.height = height;
    for (const canvas of [this.edgeCanvas, this.nodeCanvas]) {
      canvas.width = Math.max(1, Math.round(width * this.dpr));
      canvas.height = Math.max(1, Math.round(height * this.dpr));
    }
    this.edgesDirty = this.nodesDirty = true;
    this.schedule();
  }

  private cameraMoved(): void {
    this.edgesDirty = this.nodesDirty = true;
    this.schedule();
  }

  private pointer(event: MouseEvent): { x: number; y: number } {
    const rect = this.nodeCanvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private click(sx: number, sy: number): void {
    const laid = this.laid;
    if (!laid) return;
    const slop = 3 / this.camera.scale;
    const index = laid.grid.hitTest(this.camera.toWorldX(sx), this.camera.toWorldY(sy), slop);
    if (index < 0) {
      this.settings.onSelect(null);
      return;
    }
    const entry = laid.scene.entries[index]!;
    if (isAggregate(entry)) {
      this.expanded.add(entry.parent.info.key);
      this.sceneDirty = this.sceneUrgent = true;
      this.schedule();
      return;
    }
    this.settings.onSelect(entry.info.key);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const cx = this.width / 2;
    const cy = this.height / 2;
    switch (event.key) {
      case '+':
      case '=':
        this.camera.zoomAt(cx, cy, KEY_ZOOM);
        break;
      case '-':
        this.camera.zoomAt(cx, cy, 1 / KEY_ZOOM);
        break;
      case '0':
        this.needsFit = true;
        break;
      case 'f':
        this.follow = !this.follow;
        break;
      case 'c':
        // Close every aggregate the user opened.
        if (this.expanded.size === 0) return;
        this.expanded.clear();
        this.sceneDirty = this.sceneUrgent = true;
        break;
      default:
        return;
    }
    event.preventDefault();
    this.cameraMoved();
  }

  private listen(): void {
    const on = <K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void, options?: AddEventListenerOptions) => {
      target.addEventListener(type, handler, options);
      this.cleanups.push(() => target.removeEventListener(type, handler, options));
    };
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) this.resize(box.width, box.height);
    });
    observer.observe(this.container);
    this.cleanups.push(() => observer.disconnect());

    on(this.nodeCanvas, 'wheel', (event) => {
      event.preventDefault();
      const { x, y } = this.pointer(event);
      this.camera.zoomAt(x, y, Math.exp(-event.deltaY * WHEEL_ZOOM));
      this.cameraMoved();
    }, { passive: false });
    on(this.nodeCanvas, 'pointerdown', (event) => {
      if (event.button !== 0) return;
      this.nodeCanvas.setPointerCapture(event.pointerId);
      this.drag = { ...this.pointer(event), moved: false };
    });
    on(this.nodeCanvas, 'pointermove', (event) => {
      const drag = this.drag;
      if (!drag) return;
      const { x, y } = this.pointer(event);
      if (!drag.moved && Math.hypot(x - drag.x, y - drag.y) < DRAG_THRESHOLD_PX) return;
      drag.moved = true;
      this.camera.panBy(x - drag.x, y - drag.y);
      drag.x = x;
      drag.y = y;
      this.cameraMoved();
    });
    on(this.nodeCanvas, 'pointerup', (event) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved) {
        const { x, y } = this.pointer(event);
        this.click(x, y);
      }
    });
    on(this.nodeCanvas, 'pointercancel', () => {
      this.drag = null;
    });
    on(this.container, 'keydown', (event) => this.onKey(event));
  }
}
