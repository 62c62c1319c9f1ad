/**
 * Electron security checklist, applied to every web contents and to the session:
 * no navigation away from our page, no new windows, no <webview>, every permission denied, and
 * no request leaves the app's own scheme (the renderer needs nothing from the network).
 */
import { app, session, type WebContents } from 'electron';
import { APP_SCHEME, isAppUrl } from './appProtocol';

const LOCAL_SCHEMES = new Set([APP_SCHEME, 'blob', 'data']);
const DEVTOOLS_SCHEMES = new Set(['devtools', 'chrome-extension']);

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    // A reload of our own page is a navigation too; anything else is not ours to load.
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Must run before any window is created. `devTools` allows the DevTools' own scheme. */
export function hardenApp(devTools: boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const scheme = details.url.slice(0, details.url.indexOf(':'));
    // blob: and data: are in-page (workers, generated images); they reach nothing outside.
    const allowed = LOCAL_SCHEMES.has(scheme) || (devTools && DEVTOOLS_SCHEMES.has(scheme));
    callback({ cancel: !allowed });
  });
}
