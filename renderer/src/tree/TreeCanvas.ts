/**
 * The engine behind <TreeView>: two stacked canvases drawn from the frame loop's canvas phase
 * (app/frameLoop.ts), a layout worker and the input handlers. React only mounts it and passes props; everything per-frame
 * happens here, outside React.
 *
 * Layers: the lower canvas holds the edges, which change only when the layout or the camera does;
 * the upper canvas holds the nodes, which animate (grow, flash, fade) and are redrawn whenever
 * something moves. Zoomed out, both are rasterised into pixel buffers instead (see drawTree.ts).
 * Relayout runs at most every RELAYOUT_MS, never per event, and the scene it lays out is built in
 * slices of SCENE_SLICE_MS per frame so a 20k-node walk never costs a frame.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { FrameClient, FrameLoop } from '../app/frameLoop';
import { sameQuery, type FilterResult } from '../model/filter';
import { lineageNote } from '../model/lineage';
import type { ModelChanges, TreeModel } from '../model/TreeModel';
import { DEFAULT_AGGREGATE_OPTIONS } from './aggregates';
import { Camera } from './camera';
import { drawEdgePixels, drawEdgeVectors, drawNodes, LABEL_MIN_SCALE, PixelSurface, usesPixelMode, type Viewport } from './drawTree';
import { HIT_WIDTH, HitGrid } from './hitGrid';
import { ROW_HEIGHT, type LayoutReply, type LayoutRequest, type LayoutResult } from './layoutProtocol';
import { processLabel } from './nodeLabel';
import { PositionTween } from './positionTween';
import { isAggregate, refreshTimes, SceneBuilder, type Scene } from './scene';

export interface TreeViewSettings {
  model: TreeModel;
  selectedKey: ProcKey | null;
  onSelect(key: ProcKey | null): void;
  /** The filter's result (recomputed per model version), or null when no filter is active. */
  filter: FilterResult | null;
  /** Processes not drawn, with their subtrees (kernel threads when hidden); null hides none. */
  hidden: ((info: ProcessInfo) => boolean) | null;
  focusKey: ProcKey | null;
  fadeMs: number;
  /** One root per service, container or pod, its processes in lineage beneath it (scene.ts). */
  byGroup?: boolean;
}

const RELAYOUT_MS = 250;
/** Main-thread time per frame for building the next scene (the rest of the frame draws). */
const SCENE_SLICE_MS = 5;
const WHEEL_ZOOM = 0.0015;
const KEY_ZOOM = 1.25;
const DRAG_THRESHOLD_PX = 4;
const FOLLOW_MARGIN_PX = 60;

interface Laid {
  scene: Scene;
  layout: LayoutResult;
  tween: PositionTween;
  /** Built on the first click on the settled layout: most layouts are never clicked. */
  hitGrid: HitGrid | null;
  /** performance.now() when each index first appeared in a layout; -Infinity for the first one. */
  appearedAt: Float64Array;
}

export class TreeCanvas {
  private settings: TreeViewSettings;
  private readonly camera = new Camera();
  private readonly edgePixels = new PixelSurface();
  private readonly nodePixels = new PixelSurface();
  /** Whether the edge canvas is known to be cleared (it is unused in pixel mode). */
  private edgeCanvasBlank = true;
  private readonly worker: Worker;
  private laid: Laid | null = null;
  /** A scene being built a slice per frame, and the keys the model changed meanwhile. */
  private building: { builder: SceneBuilder; changedKeys: ProcKey[] } | null = null;
  /** The scene sent to the worker, awaiting its positions. */
  private pending: { id: number; scene: Scene } | null = null;
  private nextRequestId = 1;
  private lastLayoutAt = -Infinity;
  private sceneDirty = true;
  /** Bypass the relayout throttle (the user changed filter, focus or opened an aggregate). */
  private sceneUrgent = true;
  private edgesDirty = true;
  private nodesDirty = true;
  /**
   * Framing owed at the next frame: 'readable' when the tree appears or changes shape (never so
   * small the labels vanish), 'all' when the person asks for everything with "0".
   */
  private needsFit: 'readable' | 'all' | null = 'readable';
  private follow = false;
  private readonly expanded = new Set<ProcKey>();
  private width = 0;
  private height = 0;
  private dpr = 1;
  private readonly frames: FrameClient;
  private disposed = false;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  /** Where the pointer rests over the canvas (CSS px), null when it is elsewhere: relayouts anchor there. */
  private hover: { x: number; y: number } | null = null;
  private readonly cleanups: Array<() => void> = [];
  private unsubscribe: () => void;
  /** Set when layout cannot run at all; shown instead of a tree that silently stopped moving. */
  private layoutFailure: string | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly edgeCanvas: HTMLCanvasElement,
    private readonly nodeCanvas: HTMLCanvasElement,
    settings: TreeViewSettings,
    frames: FrameLoop,
  ) {
    this.settings = settings;
    this.frames = frames.register('canvas', (now) => this.onFrame(now));
    this.worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<LayoutReply>) => this.onLayout(event.data);
    this.worker.onerror = (event) => {
      // A dead worker would freeze the tree silently: stop asking it and say so on the canvas.
      this.layoutFailure = `tree layout worker failed: ${event.message || 'could not start'}`;
      console.error(this.layoutFailure);
      this.pending = null;
      this.nodesDirty = true;
      this.schedule();
    };
    this.unsubscribe = settings.model.onChange((_version, changes) => this.onModelChange(changes));
    this.listen();
    this.schedule();
  }

  update(next: TreeViewSettings): void {
    const prev = this.settings;
    this.settings = next;
    if (prev.model !== next.model) {
      this.unsubscribe();
      this.unsubscribe = next.model.onChange((_version, changes) => this.onModelChange(changes));
    }
    const hiddenChanged = prev.hidden !== next.hidden || prev.byGroup !== next.byGroup;
    if (!sameQuery(prev.filter, next.filter) || hiddenChanged || prev.focusKey !== next.focusKey || prev.model !== next.model) {
      this.invalidateScene();
      // Turning a filter or hiding on or off, or a new focus, shows a different tree: frame it. (A
      // new query within a filter keeps the framing: refitting per keystroke would make it jump.)
      if (hiddenChanged || prev.focusKey !== next.focusKey || (prev.filter === null) !== (next.filter === null)) this.needsFit = 'readable';
    } else if (prev.filter !== next.filter) {
      // The same query applied to a newer model: the model moving on, relaid out at its pace.
      this.sceneDirty = true;
    }
    if (prev.selectedKey !== next.selectedKey || prev.fadeMs !== next.fadeMs) this.nodesDirty = true;
    this.schedule();
  }

  /**
   * The model moved on: relayout soon (throttled), and bring exec/exit times of processes already
   * on screen up to date now, so they flash or turn red without waiting for the next layout.
   */
  private onModelChange(changes: ModelChanges): void {
    for (const scene of [this.laid?.scene, this.pending?.scene]) {
      if (!scene) continue;
      this.refreshScene(scene, changes.changed);
      this.refreshScene(scene, changes.exited);
    }
    if (changes.snapshot) {
      // The whole model was replaced: a half-built scene of the old one is worth nothing.
      this.invalidateScene();
    } else if (this.building) {
      const stale = this.building.changedKeys;
      for (const key of changes.changed) stale.push(key);
      for (const key of changes.exited) stale.push(key);
    }
    this.sceneDirty = true;
    this.nodesDirty = true;
    this.schedule();
  }

  /** What the view shows changed (not just the model): rebuild now, dropping any half-built scene. */
  private invalidateScene(): void {
    this.building = null;
    this.sceneDirty = true;
    this.sceneUrgent = true;
  }

  dispose(): void {
    this.disposed = true;
    this.frames.dispose();
    this.worker.terminate();
    this.unsubscribe();
    for (const cleanup of this.cleanups) cleanup();
  }

  private schedule(): void {
    this.frames.schedule();
  }

  /** One frame of the canvas phase; true while something still moves (tween, growth, fade, a scene in the making). */
  private onFrame(now: number): boolean {
    const laid = this.laid;
    if (laid && now >= laid.scene.changesAt) this.sceneDirty = true;
    if (this.layoutFailure !== null) {
      this.drawFailure(this.layoutFailure);
      return false;
    }
    if (this.sceneDirty && !this.building && !this.pending && (this.sceneUrgent || now - this.lastLayoutAt >= RELAYOUT_MS)) this.startScene(now);
    if (this.building) this.continueScene(now);

    let keepGoing = this.sceneDirty || this.building !== null;
    if (laid) {
      if (laid.tween.advance(now)) {
        this.edgesDirty = true;
        this.nodesDirty = true;
      }
      if (!laid.tween.settled) keepGoing = true;
      // Fit once there is a tree to fit: the first layouts can run before the snapshot arrives.
      // (One node is a tree too: a focused process without children.)
      if (this.needsFit !== null && this.width > 0 && laid.layout.x.length > 0) {
        this.frameTree(laid, this.needsFit);
        this.needsFit = null;
        this.edgesDirty = this.nodesDirty = true;
      }
      if (this.follow) this.keepSelectionInView(laid);
      if (this.edgesDirty) this.drawEdgeLayer(laid);
      if (this.nodesDirty && this.drawNodeLayer(laid, now)) keepGoing = true;
    }
    return keepGoing;
  }

  private startScene(now: number): void {
    const { model, filter, hidden, focusKey, byGroup } = this.settings;
    const builder = new SceneBuilder(model, { filter, hidden, focusKey, expanded: this.expanded, aggregate: DEFAULT_AGGREGATE_OPTIONS, now, byGroup });
    this.building = { builder, changedKeys: [] };
    this.sceneDirty = false;
    this.sceneUrgent = false;
    this.lastLayoutAt = now;
  }

  /** One slice of scene building; when done, hand the scene to the layout worker. */
  private continueScene(frameStart: number): void {
    const building = this.building!;
    const scene = building.builder.step(frameStart + SCENE_SLICE_MS, () => performance.now());
    if (!scene) return;
    this.building = null;
    this.refreshScene(scene, building.changedKeys);
    const id = this.nextRequestId++;
    this.pending = { id, scene };
    // The scene keeps its own copy of the parent array; the worker gets a transferred one.
    const parent = scene.parent.slice();
    const request: LayoutRequest = { id, parent };
    this.worker.postMessage(request, [parent.buffer]);
  }

  private refreshScene(scene: Scene, keys: readonly ProcKey[]): void {
    const { model } = this.settings;
    for (const key of keys) {
      const index = scene.indexByKey.get(key);
      const node = index === undefined ? undefined : model.get(key);
      if (index !== undefined && node) refreshTimes(scene, index, node);
    }
  }

  private onLayout(reply: LayoutReply): void {
    if (this.disposed || !this.pending || reply.id !== this.pending.id) return;
    const { scene } = this.pending;
    this.pending = null;
    // Relayout throttling counts from when positions arrive, so slow layouts space themselves out.
    this.lastLayoutAt = performance.now();
    if (reply.type === 'error') {
      // Data-dependent (a scene the layout rejected): keep the last good tree; the next model
      // change builds a new scene and tries again.
      console.error('tree layout failed:', reply.message);
      return;
    }
    const layout = reply.result;
    const previous = this.laid;
    const now = performance.now();
    const n = scene.keys.length;
    // Each node's index in the previous layout (-1: new), looked up once for tween and growth.
    const previousIndex = new Int32Array(n).fill(-1);
    const appearedAt = new Float64Array(n).fill(-Infinity);
    if (previous) {
      for (let i = 0; i < n; i++) {
        const old = previous.scene.indexByKey.get(scene.keys[i]!);
        if (old === undefined) {
          appearedAt[i] = now;
        } else {
          previousIndex[i] = old;
          appearedAt[i] = previous.appearedAt[old]!;
        }
      }
      this.anchorLayout(scene, layout, previousIndex, previous);
    }
    const tween = new PositionTween(
      { parent: scene.parent, x: layout.x, y: layout.y },
      now,
      previous ? { previousIndex, x: previous.tween.x, y: previous.tween.y } : null,
    );
    this.laid = { scene, layout, tween, hitGrid: null, appearedAt };
    this.edgesDirty = this.nodesDirty = true;
    this.schedule();
  }

  /**
   * Keep the tree still where the person is looking. The tidy layout centres each parent on its
   * children, so every fork or exit shifts the rows around it, and in a storm the whole view would
   * drift under the pointer. Translate the new layout along y (x is depth, already stable) so that
   * one node stays where it is drawn now: the node nearest the pointer, else the selection when on
   * screen, else the node nearest the middle of the view (as the list anchors its rows).
   */
  private anchorLayout(scene: Scene, layout: LayoutResult, previousIndex: Int32Array, previous: Laid): void {
    const { x, y } = previous.tween;
    let anchor = -1;
    const selected = this.selectedIndex(scene);
    if (this.hover === null && selected >= 0 && previousIndex[selected]! >= 0) {
      const old = previousIndex[selected]!;
      const sx = this.camera.toScreenX(x[old]!);
      const sy = this.camera.toScreenY(y[old]!);
      if (sx >= 0 && sx <= this.width && sy >= 0 && sy <= this.height) anchor = selected;
    }
    if (anchor < 0) {
      const focal = this.hover ?? { x: this.width / 2, y: this.height / 2 };
      let best = Infinity;
      for (let i = 0; i < previousIndex.length; i++) {
        const old = previousIndex[i]!;
        if (old < 0) continue;
        const dx = this.camera.toScreenX(x[old]!) - focal.x;
        const dy = this.camera.toScreenY(y[old]!) - focal.y;
        const distance = dx * dx + dy * dy;
        if (distance < best) {
          best = distance;
          anchor = i;
        }
      }
    }
    if (anchor < 0) return;
    const shift = y[previousIndex[anchor]!]! - layout.y[anchor]!;
    if (shift === 0) return;
    for (let i = 0; i < layout.y.length; i++) layout.y[i]! += shift;
    layout.bounds.minY += shift;
    layout.bounds.maxY += shift;
  }

  private selectedIndex(scene: Scene): number {
    const key = this.settings.selectedKey;
    return key === null ? -1 : (scene.indexByKey.get(key) ?? -1);
  }

  private frameTree(laid: Laid, how: 'readable' | 'all'): void {
    // The rightmost labels extend HIT_WIDTH past their node: keep them inside the view.
    const bounds = { ...laid.layout.bounds, maxX: laid.layout.bounds.maxX + HIT_WIDTH };
    const pad = ROW_HEIGHT * 2;
    if (how === 'all') {
      this.camera.fit(bounds, this.width, this.height, pad);
      return;
    }
    // What matters when it cannot all be read: the selection, else the first root (init's side).
    const selected = this.selectedIndex(laid.scene);
    const anchor = selected >= 0 ? selected : 0;
    const at = { x: laid.layout.x[anchor]!, y: laid.layout.y[anchor]! };
    this.camera.frame(bounds, this.width, this.height, pad, LABEL_MIN_SCALE, at);
  }

  private keepSelectionInView(laid: Laid): void {
    const i = this.selectedIndex(laid.scene);
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

  /**
   * Zoomed in, edges go to their own canvas and stay there while only nodes animate. Zoomed out
   * (pixel mode), they go to a pixel buffer that the node layer copies under the nodes: one
   * canvas upload per frame instead of two, and the edge canvas stays blank.
   */
  private drawEdgeLayer(laid: Laid): void {
    this.edgesDirty = false;
    if (usesPixelMode(this.camera)) {
      drawEdgePixels(this.edgePixels, laid.scene, laid.tween.x, laid.tween.y, this.camera, this.viewport());
      this.nodesDirty = true;
      if (!this.edgeCanvasBlank) this.edgeCanvasBlank = this.prepare(this.edgeCanvas) !== null;
      return;
    }
    const ctx = this.prepare(this.edgeCanvas);
    if (!ctx) return;
    drawEdgeVectors(ctx, laid.scene, laid.tween.x, laid.tween.y, this.camera, this.viewport());
    this.edgeCanvasBlank = false;
  }

  /** Returns whether nodes are still animating. */
  private drawNodeLayer(laid: Laid, now: number): boolean {
    this.nodesDirty = false;
    const ctx = this.prepare(this.nodeCanvas);
    if (!ctx) return false;
    const animating = drawNodes(ctx, this.nodePixels, this.edgePixels, laid.scene, laid.tween.x, laid.tween.y, this.camera, this.viewport(), { now, fadeMs: this.settings.fadeMs, appearedAt: laid.appearedAt }, this.selectedIndex(laid.scene));
    if (animating) this.nodesDirty = true;
    if (this.follow) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillStyle = 'rgba(216,222,233,0.7)';
      ctx.fillText('following selection (f to stop)', 8, 8);
    }
    return animating;
  }

  private drawFailure(message: string): void {
    const ctx = this.prepare(this.nodeCanvas);
    if (!ctx) return;
    ctx.font = '13px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillStyle = '#e5484d';
    ctx.fillText(message, 12, 12);
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

  /** The scene index of the node drawn at screen (sx, sy), or -1. */
  private hitAt(laid: Laid, sx: number, sy: number): number {
    const slop = 3 / this.camera.scale;
    // Hit what is drawn: mid-tween the nodes are not at their layout positions yet.
    const grid = laid.tween.settled ? (laid.hitGrid ??= new HitGrid(laid.layout.x, laid.layout.y)) : new HitGrid(laid.tween.x, laid.tween.y);
    return grid.hitTest(this.camera.toWorldX(sx), this.camera.toWorldY(sy), slop);
  }

  /**
   * The tooltip of the node under the pointer: its label, and its lineage when its place in the
   * tree hides it ("forked by 1234 bash"). Only once the layout has settled: building a hit grid
   * per pointer move mid-animation is not worth a tooltip.
   */
  private hoverTitle(sx: number, sy: number): void {
    const laid = this.laid;
    let title = '';
    if (laid?.tween.settled) {
      const index = this.hitAt(laid, sx, sy);
      const entry = index < 0 ? undefined : laid.scene.entries[index];
      if (entry && !isAggregate(entry)) {
        const lineage = lineageNote(this.settings.model, entry.info);
        title = `${processLabel(entry.info, 200)}${lineage ? `\n${lineage}` : ''}`;
      }
    }
    if (this.nodeCanvas.title !== title) this.nodeCanvas.title = title;
  }

  private click(sx: number, sy: number): void {
    const laid = this.laid;
    if (!laid) return;
    const index = this.hitAt(laid, sx, sy);
    if (index < 0) {
      this.settings.onSelect(null);
      return;
    }
    const entry = laid.scene.entries[index]!;
    if (isAggregate(entry)) {
      this.expanded.add(entry.parent.info.key);
      this.invalidateScene();
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
        this.needsFit = 'all';
        break;
      case 'f':
        this.follow = !this.follow;
        break;
      case 'c':
        // Close every aggregate the user opened.
        if (this.expanded.size === 0) return;
        this.expanded.clear();
        this.invalidateScene();
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
      this.hover = this.pointer(event);
      const { x, y } = this.hover;
      const drag = this.drag;
      if (!drag) {
        this.hoverTitle(x, y);
        return;
      }
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
    on(this.nodeCanvas, 'pointerleave', () => {
      this.hover = null;
    });
    on(this.container, 'keydown', (event) => this.onKey(event));
  }
}
