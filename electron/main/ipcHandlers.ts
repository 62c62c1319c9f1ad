/**
 * The typed IPC wiring of ipc.ts. Every message is checked twice: its sender must be our
 * window's main frame showing our page (not an iframe, not a page it navigated to), and every
 * argument must pass the shared guards. The window gets one Session subscription per page load,
 * opened on its first call and closed when the page reloads or goes away.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { HostInfo } from '../common/bridge';
import type { ServerMessage } from '../common/delta';
import { checkDetailRequest, checkSeq, checkSignalRequest } from '../common/guards';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeChannels, type PushChannel } from '../common/ipc';
import { callTimeline, type TimelineCall, type TimelineMachine } from '../core/recording/timelineCalls';
import type { TimeMachine } from '../core/recording/TimeMachine';
import { isAppUrl } from './appProtocol';

const MESSAGE_CHANNEL: PushChannel = 'forkscope:message';
const TIMELINE_CHANNEL: PushChannel = 'forkscope:timeline';

type TimelineChannel = Extract<InvokeChannel, `forkscope:timeline-${string}`>;

/** Each timeline channel's call (core/recording/timelineCalls.ts validates and runs it); every one is wired. */
const TIMELINE_CALLS: Readonly<Record<TimelineChannel, TimelineCall>> = {
  'forkscope:timeline-state': 'state',
  'forkscope:timeline-density': 'density',
  'forkscope:timeline-seek': 'seek',
  'forkscope:timeline-play': 'play',
  'forkscope:timeline-pause': 'pause',
  'forkscope:timeline-step': 'step',
  'forkscope:timeline-go-live': 'goLive',
  'forkscope:timeline-diff': 'diff',
  'forkscope:timeline-export': 'export',
  'forkscope:timeline-start-recording': 'startRecording',
  'forkscope:timeline-stop-recording': 'stopRecording',
  'forkscope:timeline-open-recording': 'openRecording',
};

export interface IpcWiring {
  /** Remove the handlers and close the subscription. */
  dispose(): void;
}

/** `engine` is usually the TimeMachine itself; `timeMachine` answers the timeline channels. */
export function wireIpc(
  contents: WebContents,
  engine: HostEngine,
  hostInfo: HostInfo,
  timeMachine?: TimelineMachine & Pick<TimeMachine, 'onTimeline'>,
): IpcWiring {
  let subscription: EngineSubscription | undefined;
  const stopTimeline = timeMachine?.onTimeline((state) => {
    if (!contents.isDestroyed()) contents.send(TIMELINE_CHANNEL, state);
  });

  function currentSubscription(): EngineSubscription {
    subscription ??= engine.subscribe((message: ServerMessage) => {
      if (!contents.isDestroyed()) contents.send(MESSAGE_CHANNEL, message);
    });
    return subscription;
  }

  function endSubscription(): void {
    subscription?.close();
    subscription = undefined;
  }

  // A reload starts a new renderer model at seq 0: it needs a fresh subscription.
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) endSubscription();
  });
  contents.on('render-process-gone', endSubscription);
  contents.once('destroyed', endSubscription);

  function fromOurPage(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    if (event.sender !== contents || frame === null || frame !== contents.mainFrame) return false;
    return isAppUrl(frame.url);
  }

  function handle<C extends InvokeChannel>(channel: C, run: (args: unknown[]) => InvokeChannels[C]['result'] | Promise<InvokeChannels[C]['result']>): void {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!fromOurPage(event)) throw new Error(`${channel}: refused: the sender is not Forkscope's window`);
      return run(args);
    });
  }

  handle('forkscope:hello', () => {
    currentSubscription();
    return hostInfo;
  });
  handle('forkscope:snapshot', () => currentSubscription().requestSnapshot());
  handle('forkscope:detail', ([request]) => {
    const { pid, startTime, translatePid } = checkDetailRequest(request);
    return engine.getDetail(pid, startTime, translatePid);
  });
  handle('forkscope:signal', ([request]) => engine.signal(checkSignalRequest(request)));
  for (const channel of Object.keys(TIMELINE_CALLS) as TimelineChannel[]) {
    handle(channel, (args) => callTimeline(timeMachine, TIMELINE_CALLS[channel], args));
  }

  const onAck = (event: IpcMainEvent, seq: unknown): void => {
    // A bad ack is dropped: fire-and-forget has no reply to carry an error, and a wrong seq
    // must not move the Session's backpressure window.
    if (!fromOurPage(event)) return;
    try {
      subscription?.ack(checkSeq(seq));
    } catch {
      return;
    }
  };
  ipcMain.on('forkscope:ack', onAck);

  return {
    dispose(): void {
      for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
      stopTimeline?.();
      ipcMain.off('forkscope:ack', onAck);
      endSubscription();
    },
  };
}
