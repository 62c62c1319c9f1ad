/** Renderer entry: one runtime (bridge, model, feed) per window, then the React tree. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './bridge/getBridge';
import { App } from './app/App';
import { RuntimeContext } from './app/RuntimeContext';
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
      <ViewBoundary view="window">
        <App />
      </ViewBoundary>
    </RuntimeContext.Provider>
  </StrictMode>,
);
