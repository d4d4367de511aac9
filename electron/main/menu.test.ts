import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from './menu';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);

describe('buildMenuTemplate', () => {
  it('offers DevTools and reload only in development', () => {
    expect(roles(buildMenuTemplate('linux', false))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate('linux', false))).not.toContain('reload');
    expect(roles(buildMenuTemplate('linux', true))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload']),
    );
  });

  it('always has an Edit menu (macOS clipboard shortcuts need it) and the platform’s first menu', () => {
    expect(roles(buildMenuTemplate('darwin', false)).slice(0, 2)).toEqual(['appMenu', 'editMenu']);
    expect(roles(buildMenuTemplate('win32', false)).slice(0, 2)).toEqual(['fileMenu', 'editMenu']);
  });

  it('has a Lock item with CmdOrCtrl+L that asks the page to lock', () => {
    const onLock = vi.fn();
    const viewItems = (template: MenuItemConstructorOptions[]) =>
      (template.find((m) => m.label === 'View')!.submenu as MenuItemConstructorOptions[]) ?? [];
    const item = viewItems(buildMenuTemplate('linux', false, onLock)).find((m) => m.label === 'Lock')!;
    expect(item.accelerator).toBe('CmdOrCtrl+L');
    (item.click as () => void)();
    expect(onLock).toHaveBeenCalledTimes(1);
    expect(viewItems(buildMenuTemplate('linux', false)).some((m) => m.label === 'Lock')).toBe(false);
  });
});
