/** The application menu: File → Open recording… / Quit; View → zoom (and Reload / DevTools in dev mode only). */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(devMode: boolean, openRecording: () => void): void {
  const view: MenuItemConstructorOptions[] = [
    ...(devMode ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { label: 'File', submenu: [{ label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: openRecording }, { type: 'separator' }, { role: 'quit' }] },
      { label: 'View', submenu: view },
    ]),
  );
}
