import { createContext, useContext } from 'react';
import { frameLoop, type FrameLoop } from './frameLoop';
import type { Runtime } from './runtime';

export const RuntimeContext = createContext<Runtime | null>(null);

export function useRuntime(): Runtime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime outside <RuntimeContext.Provider>');
  return runtime;
}

/**
 * The frame loop the views draw from: the runtime's (main.tsx provides it), else the window's one
 * loop, which is the same object outside tests (the bench page mounts the views without a runtime).
 */
export const FrameLoopContext = createContext<FrameLoop>(frameLoop);

export function useFrameLoop(): FrameLoop {
  return useContext(FrameLoopContext);
}
