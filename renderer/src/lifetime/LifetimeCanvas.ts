/**
 * The engine behind <LifetimeView>: one canvas drawn from the frame loop's canvas phase
 * (app/frameLoop.ts), plus the input handlers, outside React's render cycle.
 *
 * Rows are rebuilt from the LifetimeModel at most every ROWS_MS while it changes (a storm changes
 * it every frame), and at once when the person changes something (opens a fold, the order, the
 * selection). Following live, every frame moves the right edge to now; otherwise a frame is drawn
 * only when something changed.
 *
 * Input: wheel scrolls rows; Ctrl/⌘+wheel zooms time about the pointer; Shift+wheel or a
 * horizontal wheel pans time; dragging pans both; click selects a process or opens/closes a fold;
 * keys + / - zoom, l follows live.
 */
import type { ProcessInfo, ProcKey } from '../../../electron/common/process';
import type { FrameClient, FrameLoop } from '../app/frameLoop';
import { AXIS_HEIGHT, barsWidth, drawLifetime, LABEL_WIDTH, ROW_HEIGHT, rowAt, timeX } from './drawLifetime';
import type { LifetimeModel } from './LifetimeModel';
import { foldText, foldTooltip, longestLife, processText, processTooltip } from './lifetimeText';
import { lifeMs, RowBuilder, type BuiltRows, type LifetimeRow, type RowOrder } from './rows';
import { initialWindow, panWindow, showRange, visibleTime, zoomWindow, type TimeWindow } from './timeWindow';

export interface LifetimeSettings {
  lifetime: LifetimeModel;
  /** Now, on the processes' clock (LifetimeClock.now). */
  now(): number;
  selectedKey: ProcKey | null;
  onSelect(key: ProcKey | null): void;
  hidden: ((info: ProcessInfo) => boolean) | null;
  order: RowOrder;
}

/** What the person sees, for the view's toolbar (follow state) and its accessible row list. */
export interface LifetimeStatus {
  follow: boolean;
  rows: number;
  /** Rows are being rebuilt (a slice per frame). */
  building: boolean;
  /** The right edge of the time shown (on the processes' clock). */
  shownEnd: number;
  /** The rows on screen, as text and geometry (CSS px within the canvas). */
  visible: VisibleRow[];
}

export interface VisibleRow {
  key: string;
  kind: 'process' | 'fold';
  depth: number;
  text: string;
  /** Lifetime so far (ms); for a fold, its longest member's. */
  lifeMs: number;
  /** Centre of the row's bar (or of the row, when its bar is off screen). */
  x: number;
  y: number;
}

/** Rows are rebuilt at most this often while the model changes... */
const ROWS_MS = 200;
/** ...and a build takes at most this much of a frame (the rest draws). */
const ROWS_SLICE_MS = 4;
const STATUS_MS = 250;
const WHEEL_ZOOM = 0.0015;
const KEY_ZOOM = 1.5;
const DRAG_THRESHOLD_PX = 4;

export class LifetimeCanvas {
  private settings: LifetimeSettings;
  private window: TimeWindow = initialWindow();
  private rows: LifetimeRow[] = [];
  /** Row index per process key and fold id; a member of a closed fold maps to the fold's row. */
  private rowIndex = new Map<string, number>();
  private rowsVersion = -1;
  private rowsBuiltAt = -Infinity;
  private rowsUrgent = true;
  /** A build in progress, a slice per frame, and the model version it started from. */
  private building: { builder: RowBuilder; version: number } | null = null;
  private readonly open = new Set<string>();
  private scrollTop = 0;
  private hover: { x: number; y: number } | null = null;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private lastNow = NaN;
  private statusAt = -Infinity;
  private statusDirty = true;
  /** The selection to bring into view once rows hold it. */
  private reveal: ProcKey | null = null;
  private readonly frames: FrameClient;
  private readonly cleanups: Array<() => void> = [];
  private offModel: () => void;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tooltip: HTMLElement,
    settings: LifetimeSettings,
    private readonly onStatus: (status: LifetimeStatus) => void,
    frames: FrameLoop,
  ) {
    this.settings = settings;
    this.reveal = settings.selectedKey;
    this.frames = frames.register('canvas', (now) => this.draw(now));
    this.offModel = settings.lifetime.onChange(() => this.frames.schedule());
    this.listen();
    this.frames.schedule();
  }

  update(next: LifetimeSettings): void {
    const prev = this.settings;
    this.settings = next;
    if (prev.lifetime !== next.lifetime) {
      this.offModel();
      this.offModel = next.lifetime.onChange(() => this.frames.schedule());
    }
    // New rows or a new selection: bring the selection into view (rows move when reordered).
    if (prev.hidden !== next.hidden || prev.order !== next.order || prev.lifetime !== next.lifetime || prev.selectedKey !== next.selectedKey) {
      this.rowsUrgent = true;
      this.reveal = next.selectedKey;
    }
    this.frames.schedule();
  }

  followLive(): void {
    this.window = { ...this.window, follow: true };
    this.frames.schedule();
  }

  /**
   * Show the selected process's whole life; with none selected, everything since watching began
   * (processes older than the session, like init, would stretch the axis to days).
   */
  fit(): void {
    const now = this.settings.now();
    const { lifetime, selectedKey } = this.settings;
    const selected = selectedKey === null ? undefined : lifetime.get(selectedKey);
    if (selected) {
      this.window = showRange(selected.start, selected.end ?? now, now);
      this.reveal = selected.key;
    } else if (lifetime.watchingSince !== null) this.window = showRange(lifetime.watchingSince, now, now);
    this.moved();
  }

  /** The canvas as a PNG, exactly as drawn (at device resolution). */
  toPng(): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png');
    });
  }

  dispose(): void {
    this.frames.dispose();
    this.offModel();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  private draw(frameNow: number): boolean {
    const now = this.settings.now();
    const { lifetime } = this.settings;
    if (this.rowsUrgent || (!this.building && lifetime.version !== this.rowsVersion && frameNow - this.rowsBuiltAt >= ROWS_MS)) {
      // Urgent (the person changed something) restarts a build; otherwise one at a time.
      const { hidden, order } = this.settings;
      this.building = { builder: new RowBuilder(lifetime.entries, { hidden, open: this.open, now, order }), version: lifetime.version };
      this.rowsUrgent = false;
      this.rowsBuiltAt = frameNow;
    }
    if (this.building) {
      // From when this callback runs, not from the frame's start: under load the frame's start is
      // long past by now, and a deadline already missed would leave each frame a token slice.
      const built = this.building.builder.step(performance.now() + ROWS_SLICE_MS, () => performance.now());
      if (built) this.takeRows(built, this.building.version);
    }
    if (lifetime.version !== this.rowsVersion || this.building) this.frames.schedule();
    if (this.reveal !== null) this.revealSelection();
    const ctx = this.prepare();
    if (ctx) {
      drawLifetime(ctx, {
        rows: this.rows,
        time: visibleTime(this.window, now),
        now,
        width: this.width,
        height: this.height,
        scrollTop: this.scrollTop,
        selectedKey: this.settings.selectedKey,
        hoverRow: this.hover ? rowAt(this.hover.y, this.scrollTop, this.rows.length) : -1,
      });
    }
    const moving = this.window.follow && now !== this.lastNow;
    this.lastNow = now;
    if (moving) this.statusDirty = true;
    if (this.statusDirty && frameNow - this.statusAt >= STATUS_MS) this.publishStatus(now, frameNow);
    return moving || this.statusDirty;
  }

  private takeRows(built: BuiltRows, version: number): void {
    const anchor = this.anchor();
    this.building = null;
    this.rows = built.rows;
    this.rowIndex = built.index;
    this.rowsVersion = version;
    // Rows appear and go above the one the person looks at (a storm elsewhere): keep that row
    // where it is drawn, as the list does, so it does not slide away under the pointer.
    const index = anchor ? this.rowIndex.get(anchor.key) : undefined;
    if (anchor && index !== undefined) this.scrollTop = index * ROW_HEIGHT - anchor.offset;
    this.clampScroll();
    this.statusDirty = true;
  }

  /** The row to hold still: under the pointer, else the selection on screen, else the top row. */
  private anchor(): { key: string; offset: number } | null {
    const visible = this.height - AXIS_HEIGHT;
    let index = this.hover ? rowAt(this.hover.y, this.scrollTop, this.rows.length) : -1;
    if (index < 0 && this.settings.selectedKey !== null) {
      const selected = this.rowIndex.get(this.settings.selectedKey);
      const top = selected === undefined ? -1 : selected * ROW_HEIGHT - this.scrollTop;
      if (selected !== undefined && top >= 0 && top < visible) index = selected;
    }
    if (index < 0) index = Math.floor(this.scrollTop / ROW_HEIGHT);
    const row = this.rows[index];
    if (!row) return null;
    return { key: row.kind === 'process' ? row.entry.key : row.id, offset: index * ROW_HEIGHT - this.scrollTop };
  }

  /** Scroll the selection into view, opening the fold that hides it. */
  private revealSelection(): void {
    const key = this.reveal!;
    const index = this.rowIndex.get(key);
    if (index === undefined) {
      // Not in the rows yet (it arrives with the next rebuild) or not a lifetime we hold.
      if (!this.settings.lifetime.get(key)) this.reveal = null;
      return;
    }
    const row = this.rows[index]!;
    if (row.kind === 'fold') {
      // Open it, and wait for the rows that show it open (a build may take a few frames).
      if (!this.open.has(row.id)) {
        this.open.add(row.id);
        this.rowsUrgent = true;
      }
      return;
    }
    this.reveal = null;
    const top = index * ROW_HEIGHT;
    const visible = this.height - AXIS_HEIGHT;
    if (top < this.scrollTop || top + ROW_HEIGHT > this.scrollTop + visible) this.scrollTop = top - visible / 2;
    this.clampScroll();
  }

  private publishStatus(now: number, frameNow: number): void {
    this.statusAt = frameNow;
    this.statusDirty = false;
    const time = visibleTime(this.window, now);
    const first = Math.max(0, Math.floor(this.scrollTop / ROW_HEIGHT));
    const last = Math.min(this.rows.length - 1, Math.floor((this.scrollTop + this.height - AXIS_HEIGHT) / ROW_HEIGHT) - 1);
    const visible: VisibleRow[] = [];
    for (let i = first; i <= last; i++) {
      const row = this.rows[i]!;
      const y = AXIS_HEIGHT + i * ROW_HEIGHT - this.scrollTop + ROW_HEIGHT / 2;
      const start = row.kind === 'fold' ? row.start : row.entry.start;
      const end = (row.kind === 'fold' ? row.end : row.entry.end) ?? now;
      const x0 = Math.max(LABEL_WIDTH, timeX(start, time, this.width));
      const x1 = Math.min(this.width, timeX(end, time, this.width));
      const x = x1 > x0 ? (x0 + x1) / 2 : LABEL_WIDTH / 2;
      if (row.kind === 'fold') {
        visible.push({ key: row.id, kind: 'fold', depth: row.depth, text: foldText(row), lifeMs: longestLife(row, now), x, y });
      } else {
        visible.push({ key: row.entry.key, kind: 'process', depth: row.depth, text: processText(row.entry, now), lifeMs: lifeMs(row.entry, now), x, y });
      }
    }
    this.onStatus({ follow: this.window.follow, rows: this.rows.length, building: this.building !== null, shownEnd: time.end, visible });
  }

  private prepare(): CanvasRenderingContext2D | null {
    const ctx = this.canvas.getContext('2d');
    if (!ctx || this.width <= 0 || this.height <= 0) return null;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    return ctx;
  }

  private resize(width: number, height: number): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = width;
    this.height = height;
    this.canvas.width = Math.max(1, Math.round(width * this.dpr));
    this.canvas.height = Math.max(1, Math.round(height * this.dpr));
    this.clampScroll();
    this.statusDirty = true;
    this.frames.schedule();
  }

  private clampScroll(): void {
    const max = Math.max(0, this.rows.length * ROW_HEIGHT - (this.height - AXIS_HEIGHT) + ROW_HEIGHT);
    this.scrollTop = Math.min(max, Math.max(0, this.scrollTop));
  }

  private moved(): void {
    this.statusDirty = true;
    this.updateTooltip();
    this.frames.schedule();
  }

  private pointer(event: MouseEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private click(y: number): void {
    const index = rowAt(y, this.scrollTop, this.rows.length);
    const row = this.rows[index];
    if (!row) return;
    if (row.kind === 'fold') {
      if (row.open) this.open.delete(row.id);
      else this.open.add(row.id);
      this.rowsUrgent = true;
      this.frames.schedule();
      return;
    }
    this.settings.onSelect(row.entry.key);
  }

  private updateTooltip(): void {
    const hover = this.hover;
    const row = hover && !this.drag?.moved ? this.rows[rowAt(hover.y, this.scrollTop, this.rows.length)] : undefined;
    if (!hover || !row) {
      this.tooltip.hidden = true;
      return;
    }
    const now = this.settings.now();
    this.tooltip.textContent = row.kind === 'fold' ? foldTooltip(row, now) : processTooltip(row.entry, now);
    this.tooltip.hidden = false;
    const left = Math.min(hover.x + 14, Math.max(0, this.width - 360));
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${hover.y + 16 > this.height - 90 ? Math.max(0, hover.y - 96) : hover.y + 16}px`;
  }

  private onKey(event: KeyboardEvent): void {
    const now = this.settings.now();
    if (event.key === '+' || event.key === '=') this.window = zoomWindow(this.window, 1 / KEY_ZOOM, 0.5, now);
    else if (event.key === '-') this.window = zoomWindow(this.window, KEY_ZOOM, 0.5, now);
    else if (event.key === 'l') this.window = { ...this.window, follow: true };
    else return;
    event.preventDefault();
    this.moved();
  }

  private listen(): void {
    const canvas = this.canvas;
    const container = canvas.parentElement ?? canvas;
    const on = <K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void, options?: AddEventListenerOptions) => {
      target.addEventListener(type, handler as EventListener, options);
      this.cleanups.push(() => target.removeEventListener(type, handler as EventListener, options));
    };
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) this.resize(box.width, box.height);
    });
    observer.observe(container);
    this.cleanups.push(() => observer.disconnect());

    on(
      canvas,
      'wheel',
      (event) => {
        event.preventDefault();
        const now = this.settings.now();
        const { x } = this.pointer(event);
        const msPerPx = this.window.span / barsWidth(this.width);
        if (event.ctrlKey || event.metaKey) {
          const anchor = (x - LABEL_WIDTH) / barsWidth(this.width);
          this.window = zoomWindow(this.window, Math.exp(event.deltaY * WHEEL_ZOOM), anchor, now);
        } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          this.window = panWindow(this.window, (event.shiftKey ? event.deltaY : event.deltaX) * msPerPx, now);
        } else {
          this.scrollTop += event.deltaY;
          this.clampScroll();
        }
        this.moved();
      },
      { passive: false },
    );
    on(canvas, 'pointerdown', (event) => {
      canvas.focus();
      this.drag = { ...this.pointer(event), moved: false };
      canvas.setPointerCapture(event.pointerId);
    });
    on(canvas, 'pointermove', (event) => {
      const at = this.pointer(event);
      this.hover = at;
      const drag = this.drag;
      if (drag) {
        const dx = at.x - drag.x;
        const dy = at.y - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
        drag.moved = true;
        this.window = panWindow(this.window, (-dx * this.window.span) / barsWidth(this.width), this.settings.now());
        this.scrollTop -= dy;
        this.clampScroll();
        drag.x = at.x;
        drag.y = at.y;
      }
      this.moved();
    });
    on(canvas, 'pointerup', (event) => {
      const drag = this.drag;
      this.drag = null;
      if (drag && !drag.moved) {
        const at = this.pointer(event);
        this.click(at.y);
      }
      this.moved();
    });
    on(canvas, 'pointerleave', () => {
      this.hover = null;
      this.moved();
    });
    on(canvas, 'keydown', (event) => this.onKey(event));
  }
}
