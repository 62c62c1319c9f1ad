/** The one window: every renderer hardening option of the Electron security checklist. */
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_PAGE_URL } from './appProtocol';

export interface WindowOptions {
  devMode: boolean;
  /** False only when running as root, where Chromium cannot sandbox (see main.ts). */
  sandbox: boolean;
  iconPath: string;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 640,
    minHeight: 400,
    title: 'Forkscope',
    icon: options.iconPath,
    backgroundColor: '#101418',
    show: false,
    webPreferences: {
      // dist/electron/main/ → dist/preload/preload.cjs (bundled by `npm run build:preload`).
      preload: join(__dirname, '..', '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: options.sandbox,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: options.devMode,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_PAGE_URL);
  return window;
}
