/**
 * The typed IPC wiring of ipc.ts. Every message is checked twice: its sender must be our
 * window's main frame showing our page (not an iframe, not a page it navigated to), and every
 * argument must pass the shared guards. The window gets one Session subscription per page load,
 * opened on its first call and closed when the page reloads or goes away.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { HostInfo } from '../common/bridge';
import type { ServerMessage } from '../common/delta';
import {
  checkDetailRequest,
  checkDiffRange,
  checkExportRequest,
  checkPlaybackSpeed,
  checkRecordingBytes,
  checkRecordingName,
  checkSeq,
  checkSignalRequest,
  checkStepDirection,
  checkTimelineBuckets,
  checkTimestamp,
} from '../common/guards';
import type { EngineSubscription, HostEngine } from '../common/hostEngine';
import { INVOKE_CHANNELS, type InvokeChannel, type InvokeChannels, type PushChannel } from '../common/ipc';
import type { TimeMachine } from '../core/recording/TimeMachine';
import { APP_ORIGIN } from './appProtocol';

const MESSAGE_CHANNEL: PushChannel = 'forkscope:message';
const TIMELINE_CHANNEL: PushChannel = 'forkscope:timeline';

export interface IpcWiring {
  /** Remove the handlers and close the subscription. */
  dispose(): void;
}

/** `engine` is usually the TimeMachine itself; `timeMachine` answers the timeline channels. */
export function wireIpc(contents: WebContents, engine: HostEngine, hostInfo: HostInfo, timeMachine?: TimeMachine): IpcWiring {
  let subscription: EngineSubscription | undefined;
  const stopTimeline = timeMachine?.onTimeline((state) => {
    if (!contents.isDestroyed()) contents.send(TIMELINE_CHANNEL, state);
  });
  const machine = (): TimeMachine => {
    if (!timeMachine) throw new Error('time travel is not available');
    return timeMachine;
  };

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
    try {
      return new URL(frame.url).origin === APP_ORIGIN;
    } catch {
      return false;
    }
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
    const { pid, startTime } = checkDetailRequest(request);
    return engine.getDetail(pid, startTime);
  });
  handle('forkscope:signal', ([request]) => engine.signal(checkSignalRequest(request)));
  handle('forkscope:timeline-state', () => machine().state());
  handle('forkscope:timeline-density', ([buckets]) => machine().density(checkTimelineBuckets(buckets)));
  handle('forkscope:timeline-seek', ([ts]) => machine().seek(checkTimestamp(ts)));
  handle('forkscope:timeline-play', ([speed]) => machine().play(checkPlaybackSpeed(speed)));
  handle('forkscope:timeline-pause', () => machine().pause());
  handle('forkscope:timeline-step', ([direction]) => machine().step(checkStepDirection(direction)));
  handle('forkscope:timeline-go-live', () => machine().goLive());
  handle('forkscope:timeline-diff', ([range]) => {
    const { from, to } = checkDiffRange(range);
    return machine().diff(from, to);
  });
  handle('forkscope:timeline-export', ([request]) => machine().exportRecording(checkExportRequest(request)));
  handle('forkscope:timeline-start-recording', () => machine().startRecording());
  handle('forkscope:timeline-stop-recording', () => machine().stopRecording());
  handle('forkscope:timeline-open-recording', ([name, bytes]) => machine().openRecording(checkRecordingName(name), checkRecordingBytes(bytes)));

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
