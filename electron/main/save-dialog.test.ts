import { describe, expect, it, vi } from 'vitest';
import {
  confirmOverwrite,
  type MessageBoxOptions,
  type SaveDialogOptions,
  type SaveDialogs,
} from './save-dialog';

function dialogs(picks: Array<string | null>, answers: number[] = []) {
  const save = vi.fn(async (_options: SaveDialogOptions) => {
    const pick = picks.shift();
    return pick ? { canceled: false, filePath: pick } : { canceled: true, filePath: '' };
  });
  const ask = vi.fn(async (_options: MessageBoxOptions) => ({ response: answers.shift() ?? 1 }));
  return { save, ask } satisfies SaveDialogs;
}

const existing = (...paths: string[]) => ({ fileExists: async (p: string) => paths.includes(p) });
const base = { defaultPath: '/home/bo/Documents/flat.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] };

describe('confirmOverwrite', () => {
  it.each(['win32', 'darwin'] as const)(
    'leaves confirmation to the native dialog on %s',
    async (platform) => {
      const d = dialogs(['/home/bo/flat.csv']);
      const path = await confirmOverwrite(d, base, { platform, ...existing('/home/bo/flat.csv') });
      expect(path).toBe('/home/bo/flat.csv');
      expect(d.ask).not.toHaveBeenCalled();
      expect(d.save.mock.calls[0]![0]).toMatchObject({
        properties: expect.arrayContaining(['showOverwriteConfirmation']),
      });
    },
  );

  it('on Linux asks itself before replacing an existing file, and only once', async () => {
    const d = dialogs(['/home/bo/flat.csv'], [0]);
    const path = await confirmOverwrite(d, base, { platform: 'linux', ...existing('/home/bo/flat.csv') });
    expect(path).toBe('/home/bo/flat.csv');
    expect(d.ask).toHaveBeenCalledTimes(1);
    expect(d.ask.mock.calls[0]![0]).toMatchObject({
      message: expect.stringContaining('flat.csv'),
      cancelId: 1,
      defaultId: 1,
    });
    // The dialog's own confirmation stays off, or GTK users would be asked twice.
    expect(d.save.mock.calls[0]![0].properties!).not.toContain('showOverwriteConfirmation');
  });

  it('on Linux, declining goes back to the dialog at that path; a new name is written without asking', async () => {
    const d = dialogs(['/home/bo/flat.csv', '/home/bo/flat-2.csv'], [1]);
    const path = await confirmOverwrite(d, base, { platform: 'linux', ...existing('/home/bo/flat.csv') });
    expect(path).toBe('/home/bo/flat-2.csv');
    expect(d.save).toHaveBeenCalledTimes(2);
    expect(d.save.mock.calls[1]![0].defaultPath).toBe('/home/bo/flat.csv');
    expect(d.ask).toHaveBeenCalledTimes(1);
  });

  it('returns null when cancelled, and never asks about a file that does not exist', async () => {
    const d = dialogs([null]);
    expect(await confirmOverwrite(d, base, { platform: 'linux', ...existing() })).toBeNull();
    const fresh = dialogs(['/tmp/new.csv']);
    expect(await confirmOverwrite(fresh, base, { platform: 'linux', ...existing() })).toBe('/tmp/new.csv');
    expect(fresh.ask).not.toHaveBeenCalled();
  });

  it('speaks Chinese to a Chinese locale', async () => {
    const d = dialogs(['/home/bo/a.csv'], [0]);
    await confirmOverwrite(d, base, { platform: 'linux', locale: 'zh-CN', ...existing('/home/bo/a.csv') });
    expect(d.ask.mock.calls[0]![0].buttons).toEqual(['替换', '取消']);
  });
});
