import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayInfo } from '../preload/api';
import { IPC } from '../preload/channels';
import { type IpcDeps, registerIpcHandlers } from './ipc';
import { MAX_SAVE_BYTES } from './ipc-schemas';
import { createSecretBinding, secretBindingPath } from './secret-binding';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

const fake = vi.hoisted(() => {
  const handlers = new Map<string, Handler>();
  const shown: Array<{ title: string; body: string }> = [];
  class FakeNotification {
    static isSupported = vi.fn(() => true);
    static last: FakeNotification | undefined;
    readonly clicks: Array<() => void> = [];
    constructor(private readonly options: { title: string; body: string }) {
      FakeNotification.last = this;
    }
    on(event: string, listener: () => void) {
      if (event === 'click') this.clicks.push(listener);
    }
    show() {
      shown.push(this.options);
    }
  }
  return {
    handlers,
    shown,
    Notification: FakeNotification,
    ipcMain: {
      handle: vi.fn((channel: string, fn: Handler) => handlers.set(channel, fn)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    dialog: { showSaveDialog: vi.fn(), showMessageBox: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      // Reversible stand-in for the keychain: a prefix marks "our" ciphertext.
      encryptString: vi.fn((text: string) => Buffer.from(`enc:${text}`)),
      decryptString: vi.fn((blob: Buffer) => {
        const text = blob.toString();
        if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided');
        return text.slice(4);
      }),
    },
    BrowserWindow: { fromWebContents: vi.fn(() => null) },
    app: { getPath: vi.fn(() => '/home/bo/Documents'), getVersion: vi.fn(() => '0.1.0') },
  };
});

vi.mock('electron', () => ({
  ipcMain: fake.ipcMain,
  dialog: fake.dialog,
  safeStorage: fake.safeStorage,
  Notification: fake.Notification,
  BrowserWindow: fake.BrowserWindow,
  app: fake.app,
}));

const APP_FRAME = { url: 'app://tally/index.html', parent: null };
const appEvent = { sender: {}, senderFrame: APP_FRAME };
const relay: RelayInfo = { url: 'ws://127.0.0.1:4455', embedded: true };

let writes: Array<[string, string]>;
let binaryWrites: Array<[string, Uint8Array]>;
let deps: IpcDeps;
const userDataDirs: string[] = [];
afterAll(() => {
  for (const dir of userDataDirs) rmSync(dir, { recursive: true, force: true });
});

function userData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-ipc-'));
  userDataDirs.push(dir);
  return dir;
}

function setup(overrides: Partial<IpcDeps> = {}) {
  writes = [];
  binaryWrites = [];
  deps = {
    isAppUrl: (url) => url.startsWith('app://tally/'),
    relayInfo: async () => relay,
    platform: 'linux',
    writeTextFile: async (path, text) => {
      writes.push([path, text]);
    },
    writeBinaryFile: async (path, bytes) => {
      binaryWrites.push([path, bytes]);
    },
    fileExists: async () => false,
    secrets: createSecretBinding(secretBindingPath(userData()), fake.safeStorage),
    ...overrides,
  };
  return registerIpcHandlers(deps);
}

const call = (channel: string, event: unknown, ...args: unknown[]) =>
  fake.handlers.get(channel)!(event, ...args);
const callApp = (channel: string, ...args: unknown[]) => call(channel, appEvent, ...args);

function expectError(result: unknown, code: string) {
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect((result as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
}

beforeEach(() => {
  fake.handlers.clear();
  fake.shown.length = 0;
  vi.clearAllMocks();
  fake.safeStorage.isEncryptionAvailable.mockReturnValue(true);
  fake.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
  fake.Notification.isSupported.mockReturnValue(true);
});

describe('registration', () => {
  it('registers exactly the documented channels and removes them again', () => {
    const dispose = setup();
    expect([...fake.handlers.keys()].sort()).toEqual(Object.values(IPC).sort());
    dispose();
    expect(fake.handlers.size).toBe(0);
  });
});

describe('sender validation', () => {
  it.each([
    ['a foreign page', { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['a lookalike origin', { sender: {}, senderFrame: { url: 'app://tally.evil/x', parent: null } }],
    ['a subframe of the app', { sender: {}, senderFrame: { url: 'app://tally/x', parent: APP_FRAME } }],
    ['a destroyed frame', { sender: {}, senderFrame: null }],
  ])('refuses %s with IPC_FORBIDDEN_SENDER and does nothing', async (_label, event) => {
    setup();
    expectError(await call(IPC.protectSecret, event, 'secret'), 'IPC_FORBIDDEN_SENDER');
    expectError(
      await call(IPC.saveFile, event, { defaultName: 'a.csv', content: 'x' }),
      'IPC_FORBIDDEN_SENDER',
    );
    expect(fake.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(fake.dialog.showSaveDialog).not.toHaveBeenCalled();
  });
});

describe('file:save', () => {
  it.each([
    ['no argument', undefined],
    ['missing content', { defaultName: 'a.csv' }],
    ['a path instead of a name', { defaultName: '../../.bashrc', content: 'x' }],
    ['a Windows path', { defaultName: 'C:\\evil.bat', content: 'x' }],
    ['a dot name', { defaultName: '..', content: 'x' }],
    ['a control character', { defaultName: 'a\u0007.csv', content: 'x' }],
    ['an unknown key', { defaultName: 'a.csv', content: 'x', path: '/etc/passwd' }],
    [
      'an extension with a dot',
      { defaultName: 'a.csv', content: 'x', filters: [{ name: 'CSV', extensions: ['.csv'] }] },
    ],
    ['non-text content', { defaultName: 'a.csv', content: 42 }],
  ])('rejects %s with IPC_BAD_ARGUMENT before opening a dialog', async (_label, arg) => {
    setup();
    expectError(await callApp(IPC.saveFile, arg), 'IPC_BAD_ARGUMENT');
    expect(fake.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('rejects content over 50 MiB of UTF-8 even when it has fewer characters', async () => {
    setup();
    const content = '组'.repeat(Math.floor(MAX_SAVE_BYTES / 3) + 1); // 3 bytes each
    expectError(await callApp(IPC.saveFile, { defaultName: 'big.csv', content }), 'IPC_BAD_ARGUMENT');
  });

  it('writes the content where the user chose and reports the path', async () => {
    setup();
    fake.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/bo/out.csv' });
    const content = '\uFEFFdate,amount\n2025-06-01,182.40\n';
    const result = await callApp(IPC.saveFile, {
      defaultName: 'flat-3b.csv',
      content,
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(result).toEqual({ ok: true, value: { saved: true, path: '/home/bo/out.csv' } });
    expect(writes).toEqual([['/home/bo/out.csv', content]]);
    expect(fake.dialog.showSaveDialog).toHaveBeenCalledWith({
      defaultPath: '/home/bo/Documents/flat-3b.csv',
      filters: [{ name: 'CSV', extensions: ['csv'] }],
      properties: ['createDirectory'],
    });
  });

  it('asks before replacing an existing file, and writes nothing when the person declines', async () => {
    setup({ fileExists: async (path) => path === '/home/bo/out.csv' });
    fake.dialog.showSaveDialog
      .mockResolvedValueOnce({ canceled: false, filePath: '/home/bo/out.csv' })
      .mockResolvedValueOnce({ canceled: true, filePath: '' });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 });
    expect(await callApp(IPC.saveFile, { defaultName: 'out.csv', content: 'x' })).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(fake.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(writes).toEqual([]);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    setup();
    fake.dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await callApp(IPC.saveFile, { defaultName: 'a.csv', content: 'x' })).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(writes).toEqual([]);
  });

  it('reports a failed write as FILE_WRITE_FAILED', async () => {
    setup({
      writeTextFile: async () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    });
    fake.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/root/x.csv' });
    const result = await callApp(IPC.saveFile, { defaultName: 'x.csv', content: 'x' });
    expectError(result, 'FILE_WRITE_FAILED');
    expect(JSON.stringify(result)).toContain('EACCES');
  });

  it('turns an unexpected failure into INTERNAL instead of throwing', async () => {
    setup();
    fake.dialog.showSaveDialog.mockRejectedValue(new Error('boom'));
    expectError(await callApp(IPC.saveFile, { defaultName: 'x.csv', content: 'x' }), 'INTERNAL');
  });
});

describe('file:save-binary', () => {
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);

  it.each([
    ['no argument', undefined],
    ['text instead of bytes', { defaultName: 'a.png', bytes: 'iVBORw0KGgo=' }],
    ['an array of numbers', { defaultName: 'a.png', bytes: [1, 2, 3] }],
    ['another typed array', { defaultName: 'a.png', bytes: new Uint16Array(4) }],
    ['a path instead of a name', { defaultName: '../a.png', bytes: PNG }],
    ['an unknown key', { defaultName: 'a.png', bytes: PNG, path: '/etc/passwd' }],
    ['more than 50 MiB', { defaultName: 'a.png', bytes: new Uint8Array(MAX_SAVE_BYTES + 1) }],
  ])('rejects %s with IPC_BAD_ARGUMENT before opening a dialog', async (_label, arg) => {
    setup();
    expectError(await callApp(IPC.saveBinaryFile, arg), 'IPC_BAD_ARGUMENT');
    expect(fake.dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(binaryWrites).toEqual([]);
  });

  it('refuses a foreign page', async () => {
    setup();
    const event = { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } };
    expectError(
      await call(IPC.saveBinaryFile, event, { defaultName: 'a.png', bytes: PNG }),
      'IPC_FORBIDDEN_SENDER',
    );
    expect(fake.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('writes the exact bytes where the user chose (a Buffer too), and reports the path', async () => {
    setup();
    fake.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/bo/chart.png' });
    const result = await callApp(IPC.saveBinaryFile, {
      defaultName: 'flat-by-category.png',
      bytes: Buffer.from(PNG),
      filters: [{ name: 'PNG', extensions: ['png'] }],
    });
    expect(result).toEqual({ ok: true, value: { saved: true, path: '/home/bo/chart.png' } });
    expect(binaryWrites).toHaveLength(1);
    expect([...binaryWrites[0]![1]]).toEqual([...PNG]);
    expect(writes).toEqual([]);
    expect(fake.dialog.showSaveDialog).toHaveBeenCalledWith({
      defaultPath: '/home/bo/Documents/flat-by-category.png',
      filters: [{ name: 'PNG', extensions: ['png'] }],
      properties: ['createDirectory'],
    });
  });

  it('asks before replacing an existing file, and writes it only once the person agrees', async () => {
    setup({ fileExists: async (path) => path === '/home/bo/chart.png' });
    fake.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/bo/chart.png' });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 }).mockResolvedValueOnce({ response: 0 });
    expect(await callApp(IPC.saveBinaryFile, { defaultName: 'chart.png', bytes: PNG })).toEqual({
      ok: true,
      value: { saved: true, path: '/home/bo/chart.png' },
    });
    // Declined once (back to the dialog), then replaced.
    expect(fake.dialog.showMessageBox).toHaveBeenCalledTimes(2);
    expect(fake.dialog.showSaveDialog).toHaveBeenCalledTimes(2);
    expect(binaryWrites.map(([p]) => p)).toEqual(['/home/bo/chart.png']);
  });

  it('writes nothing when cancelled, and reports a failed write as FILE_WRITE_FAILED', async () => {
    setup();
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await callApp(IPC.saveBinaryFile, { defaultName: 'a.png', bytes: PNG })).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(binaryWrites).toEqual([]);
    setup({
      writeBinaryFile: async () => {
        throw Object.assign(new Error('full'), { code: 'ENOSPC' });
      },
    });
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/mnt/x.png' });
    const failed = await callApp(IPC.saveBinaryFile, { defaultName: 'x.png', bytes: PNG });
    expectError(failed, 'FILE_WRITE_FAILED');
    expect(JSON.stringify(failed)).toContain('ENOSPC');
  });
});

describe('secrets', () => {
  it('protects and unprotects a secret through safeStorage, bound to this installation', async () => {
    setup();
    const protectedResult = (await callApp(IPC.protectSecret, 'ed25519-secret')) as {
      ok: true;
      value: string;
    };
    expect(protectedResult.ok).toBe(true);
    expect(fake.safeStorage.encryptString).toHaveBeenCalledWith('ed25519-secret');
    expect(Buffer.from(protectedResult.value, 'base64').toString()).toContain('enc:ed25519-secret');
    expect(await callApp(IPC.unprotectSecret, protectedResult.value)).toEqual({
      ok: true,
      value: 'ed25519-secret',
    });
  });

  it('refuses to protect when no keychain is available', async () => {
    setup();
    fake.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expectError(await callApp(IPC.protectSecret, 's'), 'SECRET_UNAVAILABLE');
    expect(fake.safeStorage.encryptString).not.toHaveBeenCalled();
  });

  it('refuses garbage and raw keychain ciphertext as SECRET_FOREIGN, without decrypting it', async () => {
    setup();
    await callApp(IPC.protectSecret, 'ours');
    expectError(
      await callApp(IPC.unprotectSecret, Buffer.from('garbage').toString('base64')),
      'SECRET_FOREIGN',
    );
    const raw = Buffer.from('enc:another app’s secret').toString('base64');
    expectError(await callApp(IPC.unprotectSecret, raw), 'SECRET_FOREIGN');
    // The binding key was made in this session; neither foreign blob reached the keychain.
    expect(fake.safeStorage.decryptString).not.toHaveBeenCalled();
  });

  it('refuses a blob protected by another installation', async () => {
    setup();
    const theirs = (await callApp(IPC.protectSecret, 'theirs')) as { value: string };
    setup(); // a second installation: its own userData, same keychain
    await callApp(IPC.protectSecret, 'mine');
    expectError(await callApp(IPC.unprotectSecret, theirs.value), 'SECRET_FOREIGN');
  });

  it.each([
    ['a number', IPC.protectSecret, 7],
    ['an oversized secret', IPC.protectSecret, 'x'.repeat(64 * 1024 + 1)],
    ['non-base64 ciphertext', IPC.unprotectSecret, 'not base64!'],
    ['an empty ciphertext', IPC.unprotectSecret, ''],
  ])('rejects %s with IPC_BAD_ARGUMENT', async (_label, channel, arg) => {
    setup();
    expectError(await callApp(channel, arg), 'IPC_BAD_ARGUMENT');
  });

  it('reports the Linux basic_text backend as available but not secure', async () => {
    setup();
    fake.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    expect(await callApp(IPC.secretStatus)).toEqual({
      ok: true,
      value: { available: true, backend: 'basic_text', secure: false },
    });
  });

  it('reports a real keychain as secure and a missing one as unavailable', async () => {
    setup({ platform: 'darwin' });
    expect(await callApp(IPC.secretStatus)).toEqual({
      ok: true,
      value: { available: true, backend: 'keychain', secure: true },
    });
    fake.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    expect(await callApp(IPC.secretStatus)).toMatchObject({
      ok: true,
      value: { available: false, secure: false },
    });
  });
});

describe('notify, relay:info, app:version', () => {
  it('shows a notification with the given text', async () => {
    setup();
    expect(await callApp(IPC.notify, { title: 'Bo paid you', body: '¥60.80' })).toEqual({
      ok: true,
      value: { shown: true },
    });
    expect(fake.shown).toEqual([{ title: 'Bo paid you', body: '¥60.80' }]);
  });

  it('opens the notification’s app route on click, and accepts only app routes', async () => {
    const onNotificationClick = vi.fn();
    setup({ onNotificationClick });
    const target = '#/g/0123abcd/expenses';
    expect(await callApp(IPC.notify, { title: 'Flat', body: '2 new', target })).toMatchObject({ ok: true });
    for (const click of fake.Notification.last!.clicks) click();
    expect(onNotificationClick).toHaveBeenCalledWith(target);
    for (const bad of ['https://evil.example/', 'javascript:alert(1)', '#/a b']) {
      expectError(await callApp(IPC.notify, { title: 'x', body: '', target: bad }), 'IPC_BAD_ARGUMENT');
    }
  });

  it('rejects an empty title and reports unsupported systems', async () => {
    setup();
    expectError(await callApp(IPC.notify, { title: '  ', body: '' }), 'IPC_BAD_ARGUMENT');
    fake.Notification.isSupported.mockReturnValue(false);
    expectError(await callApp(IPC.notify, { title: 'Hi', body: '' }), 'NOTIFY_UNSUPPORTED');
    expect(fake.shown).toEqual([]);
  });

  it('returns the relay, or RELAY_UNAVAILABLE when it is not running', async () => {
    setup();
    expect(await callApp(IPC.relayInfo)).toEqual({ ok: true, value: relay });
    fake.handlers.clear();
    setup({ relayInfo: async () => null });
    expectError(await callApp(IPC.relayInfo), 'RELAY_UNAVAILABLE');
  });

  it('returns the app version and refuses arguments on argument-less channels', async () => {
    setup();
    expect(await callApp(IPC.version)).toEqual({ ok: true, value: '0.1.0' });
    expectError(await callApp(IPC.version, 'extra'), 'IPC_BAD_ARGUMENT');
    expectError(await callApp(IPC.secretStatus, undefined, 'x'), 'IPC_BAD_ARGUMENT');
  });
});

describe('LAN sync channels', () => {
  const status = { enabled: true, port: 5001, serviceId: 'a'.repeat(32), peers: [] };
  const lanFake = () => ({
    setEnabled: vi.fn(async () => status),
    setRooms: vi.fn(),
    status: vi.fn(() => status),
    nearby: vi.fn(() => [{ serviceId: 'c'.repeat(32), tags: ['0123456789ab'] }]),
  });
  const room = { groupId: 'a'.repeat(32), tokenHash: 'b'.repeat(64) };

  it('switches LAN sync and sets the served groups, validating both', async () => {
    const lan = lanFake();
    setup({ lan });
    expect(await callApp(IPC.lanSetEnabled, true)).toEqual({ ok: true, value: status });
    expect(lan.setEnabled).toHaveBeenCalledWith(true);
    expectError(await callApp(IPC.lanSetEnabled, 'yes'), 'IPC_BAD_ARGUMENT');
    expect(await callApp(IPC.lanSetRooms, [room])).toEqual({ ok: true, value: { rooms: 1 } });
    expect(lan.setRooms).toHaveBeenCalledWith([room]);
    expectError(await callApp(IPC.lanSetRooms, [{ ...room, groupId: 'Flat 3B' }]), 'IPC_BAD_ARGUMENT');
    expectError(await callApp(IPC.lanSetRooms, [{ ...room, groupKey: 'x' }]), 'IPC_BAD_ARGUMENT');
    expectError(await callApp(IPC.lanSetRooms, Array(1001).fill(room)), 'IPC_BAD_ARGUMENT');
    expect(lan.setRooms).toHaveBeenCalledTimes(1);
    expect(await callApp(IPC.lanStatus)).toEqual({ ok: true, value: status });
    // A tag key (64 hex) may come with a room; nothing else.
    const tagged = { ...room, tagKey: 'c'.repeat(64) };
    expect(await callApp(IPC.lanSetRooms, [tagged])).toEqual({ ok: true, value: { rooms: 1 } });
    expect(lan.setRooms).toHaveBeenLastCalledWith([tagged]);
    expectError(await callApp(IPC.lanSetRooms, [{ ...room, tagKey: 'Flat 3B' }]), 'IPC_BAD_ARGUMENT');
    expect(await callApp(IPC.lanNearby)).toEqual({
      ok: true,
      value: [{ serviceId: 'c'.repeat(32), tags: ['0123456789ab'] }],
    });
  });

  it('says LAN_UNAVAILABLE when it cannot start or is not offered', async () => {
    const lan = lanFake();
    lan.setEnabled.mockRejectedValueOnce(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }));
    setup({ lan });
    const failed = await callApp(IPC.lanSetEnabled, true);
    expectError(failed, 'LAN_UNAVAILABLE');
    expect(JSON.stringify(failed)).toContain('EADDRNOTAVAIL');
    fake.handlers.clear();
    setup();
    expectError(await callApp(IPC.lanStatus), 'LAN_UNAVAILABLE');
  });

  it('refuses LAN calls from other frames', async () => {
    const lan = lanFake();
    setup({ lan });
    const foreign = { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } };
    expectError(await call(IPC.lanSetEnabled, foreign, true), 'IPC_FORBIDDEN_SENDER');
    expect(lan.setEnabled).not.toHaveBeenCalled();
  });
});
