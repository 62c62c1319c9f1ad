/**
 * The live process tree on canvas. React mounts the canvases and forwards props; the TreeCanvas
 * engine does layout (in a worker), animation and input outside React's render cycle.
 *
 * Keys (when focused): + / - zoom, 0 fit, f follow the selection, c close opened aggregates. Wheel zooms, drag pans, click
 * selects (or opens an aggregate). The canvas is an image to assistive tech; the list view is
 * the accessible representation of the same model.
 */
import { useEffect, useRef } from 'react';
import { useFrameLoop } from '../app/RuntimeContext';
import { TreeCanvas, type TreeViewSettings } from './TreeCanvas';

export interface TreeViewProps extends TreeViewSettings {
  /**
   * The model's version: a new one re-renders the accessible summary. The canvas engine does not
   * need it — it follows the model through model.onChange, with the list of what changed.
   */
  version: number;
}

const layerStyle = { position: 'absolute', inset: 0, width: '100%', height: '100%' } as const;

export function TreeView(props: TreeViewProps) {
  const { model, selectedKey, onSelect, filter, hidden, focusKey, fadeMs, byGroup } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const edgeRef = useRef<HTMLCanvasElement>(null);
  const nodeRef = useRef<HTMLCanvasElement>(null);
  const engineRef = useRef<TreeCanvas | null>(null);
  const frames = useFrameLoop();
  const settings: TreeViewSettings = { model, selectedKey, onSelect, filter, hidden, focusKey, fadeMs, byGroup };
  const settingsRef = useRef(settings);
  settingsRef.current = settings;

  useEffect(() => {
    const container = containerRef.current;
    const edges = edgeRef.current;
    const nodes = nodeRef.current;
    if (!container || !edges || !nodes) return;
    const engine = new TreeCanvas(container, edges, nodes, settingsRef.current, frames);
    engineRef.current = engine;
    return () => {
      engine.dispose();
      engineRef.current = null;
    };
  }, [frames]);

  useEffect(() => {
    engineRef.current?.update(settingsRef.current);
  }, [model, selectedKey, onSelect, filter, hidden, focusKey, fadeMs, byGroup]);

  const focused = focusKey === null ? undefined : model.get(focusKey);
  const label = `Process tree: ${model.nodes.size} processes${byGroup ? ' by group' : ''}${focused ? `, showing the subtree of ${focused.info.pid}` : ''}`;

  return (
    <div ref={containerRef} tabIndex={0} style={{ position: 'relative', width: '100%', height: '100%', overflow: 'hidden', outline: 'none' }}>
      <canvas ref={edgeRef} aria-hidden="true" style={layerStyle} />
      <canvas ref={nodeRef} role="img" aria-label={label} style={{ ...layerStyle, touchAction: 'none', cursor: 'default' }} />
    </div>
  );
}
