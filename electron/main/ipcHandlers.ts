/**
 * The IPC wiring of the service (common/bridge.ts, channels in common/ipc.ts). Every message is
 * checked twice: its sender must be our window's main frame showing our page (not an iframe, not
 * a page it navigated to), and every argument must pass the shared guards. The window gets one
 * Session subscription per page load, opened on its first call and closed when the page reloads
 * or goes away.
 */
import { ipcMain, type IpcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { HostInfo, ServiceImplementation } from '../common/bridge';
import { callService, SERVICE_METHODS } from '../common/guards';
import type { HostEngine } from '../common/hostEngine';
import { ACK_CHANNEL, callChannel, EVENT_CHANNELS } from '../common/ipc';
import { openHostSession, type TimelineMachine } from '../core/hostService';
import { isAppUrl } from './appProtocol';

export interface IpcWiring {
  /** Remove the handlers and close the subscription. */
  dispose(): void;
}

/**
 * One `ipcMain.handle` per call of the service: a sender that `accepts` refuses is turned away
 * before its arguments are looked at; the rest pass the call's guard, then reach `service`.
 * Returns the function that removes them all.
 */
export function registerService(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: ServiceImplementation,
  accepts: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const method of SERVICE_METHODS) {
    const channel = callChannel(method);
    ipc.handle(channel, (event, ...args: unknown[]) => {
      if (!accepts(event)) throw new Error(`${channel}: refused: the sender is not Forkscope's window`);
      return callService(service, method, args);
    });
  }
  return () => {
    for (const method of SERVICE_METHODS) ipc.removeHandler(callChannel(method));
  };
}

/** `engine` is usually the TimeMachine itself; `timeMachine` answers the timeline calls. */
export function wireIpc(contents: WebContents, engine: HostEngine, hostInfo: HostInfo, timeMachine?: TimelineMachine): IpcWiring {
  const session = openHostSession(
    engine,
    hostInfo,
    (event, payload) => {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNELS[event], payload);
    },
    timeMachine,
  );

  // A reload starts a new renderer model at seq 0: it needs a fresh subscription.
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) session.endSubscription();
  });
  contents.on('render-process-gone', session.endSubscription);
  contents.once('destroyed', session.endSubscription);

  function fromOurPage(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    if (event.sender !== contents || frame === null || frame !== contents.mainFrame) return false;
    return isAppUrl(frame.url);
  }

  const unregister = registerService(ipcMain, session.service, fromOurPage);

  const onAck = (event: IpcMainEvent, seq: unknown): void => {
    // A bad ack is dropped: fire-and-forget has no reply to carry an error, and a wrong seq
    // must not move the Session's backpressure window.
    if (!fromOurPage(event)) return;
    try {
      session.ack(seq);
    } catch {
      return;
    }
  };
  ipcMain.on(ACK_CHANNEL, onAck);

  return {
    dispose(): void {
      unregister();
      ipcMain.off(ACK_CHANNEL, onAck);
      session.close();
    },
  };
}
