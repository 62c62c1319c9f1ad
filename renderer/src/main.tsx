/** Renderer entry: one runtime (bridge, model, feed) per window, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './bridge/getBridge';
import { App } from './app/App';
import { FrameLoopContext, RuntimeContext } from './app/RuntimeContext';
import { startRuntime } from './app/runtime';
import { ViewBoundary } from './app/ViewBoundary';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const runtime = startRuntime(getBridge());
window.addEventListener('pagehide', () => runtime.stop());

createRoot(container).render(
  <StrictMode>
    <RuntimeContext.Provider value={runtime}>
      <FrameLoopContext.Provider value={runtime.frames}>
        <ViewBoundary view="window">
          <App />
        </ViewBoundary>
      </FrameLoopContext.Provider>
    </RuntimeContext.Provider>
  </StrictMode>,
);
