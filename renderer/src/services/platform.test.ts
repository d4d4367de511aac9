import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveBinaryFile } from './platform';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A document that records the download links clicked. */
function fakeDocument() {
  const clicked: { href: string; download: string }[] = [];
  const doc = {
    createElement: () => {
      const a = {
        href: '',
        download: '',
        rel: '',
        click: () => clicked.push({ href: a.href, download: a.download }),
        remove: () => {},
      };
      return a;
    },
    body: { append: () => {} },
  };
  vi.stubGlobal('document', doc);
  return clicked;
}

describe('saveBinaryFile', () => {
  it('saves the exact bytes through the desktop shell when it can', async () => {
    const save = vi.fn(async () => ({ ok: true as const, value: { saved: true as const, path: '/x.png' } }));
    vi.stubGlobal('window', { tally: { saveBinaryFile: save } });
    const clicked = fakeDocument();
    expect(await saveBinaryFile('flat.png', new Blob([PNG], { type: 'image/png' }), 'png')).toBe(true);
    expect(save).toHaveBeenCalledTimes(1);
    const req = (
      save.mock.calls[0] as unknown as [{ defaultName: string; bytes: Uint8Array; filters: unknown }]
    )[0];
    expect(req.defaultName).toBe('flat.png');
    expect([...req.bytes]).toEqual([...PNG]);
    expect(req.filters).toEqual([{ name: 'PNG', extensions: ['png'] }]);
    expect(clicked).toEqual([]);
  });

  it('says so when the person cancels, and throws the shell’s words on a failure', async () => {
    const save = vi
      .fn()
      .mockResolvedValueOnce({ ok: true, value: { saved: false } })
      .mockResolvedValueOnce({
        ok: false,
        error: { code: 'FILE_WRITE_FAILED', message: 'Could not write the file (EACCES).' },
      });
    vi.stubGlobal('window', { tally: { saveBinaryFile: save } });
    expect(await saveBinaryFile('a.png', new Blob([PNG]), 'png')).toBe(false);
    await expect(saveBinaryFile('a.png', new Blob([PNG]), 'png')).rejects.toThrow('EACCES');
  });

  it('downloads in a browser, and with a shell that only saves text', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:png');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    for (const window of [{}, { tally: { saveFile: vi.fn() } }]) {
      vi.stubGlobal('window', window);
      const clicked = fakeDocument();
      expect(await saveBinaryFile('a.png', new Blob([PNG]), 'png')).toBe(true);
      expect(clicked).toEqual([{ href: 'blob:png', download: 'a.png' }]);
    }
  });
});
