/**
 * Electron main process: the desktop host of electron/core. It owns the engine, one hardened
 * window showing the renderer from forkscope://app/, and the typed IPC between them.
 */
import { app, dialog } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { HostInfo } from '../common/bridge';
import { recordingToOpen } from '../common/launchArgs';
import { watcherDebugOptionsFromEnv } from '../common/watcherDebugEnv';
import { createEngine } from '../core/engine';
import { readProcClock } from '../core/model/ProcClock';
import { TimeMachine } from '../core/recording/TimeMachine';
import { parseSourceChoice } from '../core/sources/openLiveSource';
import { installAppMenu } from './appMenu';
import { registerAppScheme, serveRenderer } from './appProtocol';
import { wireIpc } from './ipcHandlers';
import { createMainWindow } from './mainWindow';
import { hardenApp } from './webContentsHardening';

const devMode = process.env.FORKSCOPE_DEV === '1';
const runningAsRoot = process.getuid?.() === 0;

// Chromium refuses to start as root with its sandbox on; the switch must be set before ready.
// The window says so (HostInfo.warnings), so the user knows what they traded.
if (runningAsRoot) app.commandLine.appendSwitch('no-sandbox');
else app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) app.quit();
else void start().catch(fail);

function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`forkscope: ${message}\n`);
  dialog.showErrorBox('Forkscope could not start', message);
  app.exit(1);
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenApp(devMode);
  let openRecordingFile: () => void = () => {};
  installAppMenu(devMode, () => openRecordingFile());
  await serveRenderer(await realpath(join(app.getAppPath(), 'dist', 'renderer')));

  const source = parseSourceChoice(process.env.FORKSCOPE_SOURCE, 'FORKSCOPE_SOURCE');
  const engine = await createEngine({ source, watcher: watcherDebugOptionsFromEnv(process.env) });
  const hostInfo: HostInfo = {
    host: 'electron',
    version: app.getVersion(),
    runningAsRoot,
    sandboxed: !runningAsRoot,
    warnings: runningAsRoot ? ['Running as root: the renderer sandbox is disabled. Run Forkscope as your own user where you can.'] : [],
  };

  const window = createMainWindow({
    devMode,
    sandbox: !runningAsRoot,
    iconPath: join(app.getAppPath(), 'assets', 'icons', '512x512.png'),
  });
  // The live view with its always-on ring (rewind); File → Open shows a recording instead.
  const timeMachine = new TimeMachine({ live: { engine, clock: readProcClock() } });
  const ipc = wireIpc(window.webContents, timeMachine, hostInfo, timeMachine);
  const showRecording = async (path: string): Promise<void> => {
    try {
      timeMachine.openRecording(basename(path), await readFile(path));
    } catch (error) {
      dialog.showErrorBox('Cannot open this recording', `${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  openRecordingFile = () => {
    void (async () => {
      const choice = await dialog.showOpenDialog(window, {
        title: 'Open a Forkscope recording',
        properties: ['openFile'],
        filters: [
          { name: 'Forkscope recordings', extensions: ['fsrec'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      const path = choice.filePaths[0];
      if (!choice.canceled && path !== undefined) await showRecording(path);
    })();
  };

  // `forkscope FILE` (see cli/commands/start.ts) opens a recording at start.
  const initialRecording = recordingToOpen(process.argv);
  if (initialRecording !== undefined) await showRecording(initialRecording);

  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // Closing the last window quits; so do File → Quit, SIGINT and SIGTERM, which call app.quit()
  // and then emit will-quit but never window-all-closed. Clean up in will-quit, once: stop the
  // netlink watcher (PROC_CN_MCAST_IGNORE, join the reader) and remove a recording's temp files.
  app.on('window-all-closed', () => app.quit());
  let cleanedUp = false;
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    cleanedUp = true;
    ipc.dispose();
    timeMachine.close();
    void Promise.resolve(engine.close()).finally(() => app.quit());
  });
}
