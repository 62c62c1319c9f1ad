import { useEffect, useState, type ReactElement } from 'react';
import type { ConnectionState } from '../bridge/connection';
import { visibleText } from '../text/visibleText';

/** Visible whenever the web host's socket is not connected: the view is stale then. */
export function ConnectionBanner({ connection }: { connection: ConnectionState }): ReactElement | null {
  const [now, setNow] = useState(() => Date.now());
  // A text clock for the countdown, not a frame: its own 2 Hz timer, running only while
  // disconnected (no model moves then), and re-rendering only this banner.
  useEffect(() => {
    if (connection.status !== 'disconnected') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [connection]);
  if (connection.status === 'connected') return null;
  if (connection.status === 'connecting') {
    return (
      <div className="banner warning" role="status" data-testid="connection-state">
        Connecting to the Forkscope host{connection.attempt > 1 ? ` (attempt ${connection.attempt})` : ''}…
      </div>
    );
  }
  const seconds = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
  return (
    <div className="banner alarm" role="alert" data-testid="connection-state">
      Disconnected from the host ({visibleText(connection.reason)}). The view is frozen at the last update; retrying in {seconds} s.
    </div>
  );
}
