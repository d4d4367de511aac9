import type { MenuItemConstructorOptions } from 'electron';

/**
 * A minimal menu built from roles only. The Edit menu is not decoration: on macOS the
 * clipboard shortcuts (⌘C/⌘V) only work when it exists. Reload and DevTools are for development.
 */
export function buildMenuTemplate(
  platform: NodeJS.Platform,
  dev: boolean,
  /** The app lock's "Lock" item (CmdOrCtrl+L); absent, no item. */
  onLock?: () => void,
): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(onLock
      ? ([
          { label: 'Lock', accelerator: 'CmdOrCtrl+L', click: () => onLock() },
          { type: 'separator' },
        ] as const)
      : []),
    ...(dev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : [{ role: 'fileMenu' } as const]),
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
