import { describe, expect, it, vi } from 'vitest';
import { IPC } from './channels';
import { createTallyApi, type IpcRendererLike } from './tally-api';

function fakeIpc(reply: unknown = { ok: true, value: 'x' }) {
  let inviteListener: ((event: unknown, ...args: unknown[]) => void) | undefined;
  const ipc = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]) => reply),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (channel === 'invite') inviteListener = listener;
    }),
    // Present on the real ipcRenderer; the API must never reach for it.
    send: vi.fn(),
  };
  return { ipc, pushInvite: (url: unknown) => inviteListener!({}, url) };
}

describe('createTallyApi', () => {
  it('exposes only the documented functions, nothing of ipcRenderer', () => {
    const api = createTallyApi(fakeIpc().ipc);
    expect(Object.keys(api).sort()).toEqual(
      [
        'lanNearby',
        'lanSetEnabled',
        'lanSetRooms',
        'lanStatus',
        'notify',
        'onInvite',
        'onLanNearby',
        'onLanPeers',
        'onLock',
        'onNotificationClick',
        'onUpdateStatus',
        'promptTouchId',
        'touchIdAvailable',
        'protectSecret',
        'reportPendingWrites',
        'relayInfo',
        'saveFile',
        'saveBinaryFile',
        'secretStatus',
        'unprotectSecret',
        'updateInstall',
        'updateSetEnabled',
        'updateStatus',
        'version',
      ].sort(),
    );
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('maps every method to its fixed channel', async () => {
    const { ipc } = fakeIpc();
    const api = createTallyApi(ipc);
    const request = { defaultName: 'a.csv', content: 'x' };
    await api.saveFile(request);
    const png = { defaultName: 'a.png', bytes: new Uint8Array([1, 2]) };
    await api.saveBinaryFile!(png);
    await api.protectSecret('s');
    await api.unprotectSecret('YQ==');
    await api.secretStatus();
    await api.notify({ title: 't', body: 'b' });
    await api.relayInfo();
    await api.version();
    await api.updateStatus();
    await api.updateSetEnabled(false);
    await api.updateInstall();
    await api.reportPendingWrites(3);
    expect(ipc.invoke.mock.calls).toEqual([
      [IPC.saveFile, request],
      [IPC.saveBinaryFile, png],
      [IPC.protectSecret, 's'],
      [IPC.unprotectSecret, 'YQ=='],
      [IPC.secretStatus],
      [IPC.notify, { title: 't', body: 'b' }],
      [IPC.relayInfo],
      [IPC.version],
      [IPC.updateStatus],
      [IPC.updateSetEnabled, false],
      [IPC.updateInstall],
      [IPC.pendingWrites, 3],
    ]);
    expect(ipc.send).not.toHaveBeenCalled();
  });

  it('passes results through and turns a failed invoke into an INTERNAL result', async () => {
    const ok = createTallyApi(fakeIpc({ ok: true, value: '0.1.0' }).ipc);
    expect(await ok.version()).toEqual({ ok: true, value: '0.1.0' });
    const { ipc } = fakeIpc();
    ipc.invoke.mockRejectedValue(new Error("No handler registered for 'app:version'"));
    expect(await createTallyApi(ipc as IpcRendererLike).version()).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('queues invites until someone listens, then streams them; unsubscribe stops delivery', () => {
    const { ipc, pushInvite } = fakeIpc();
    const api = createTallyApi(ipc);
    pushInvite('wallet://join?a=1');
    pushInvite(42); // not a string: dropped
    const seen: string[] = [];
    const unsubscribe = api.onInvite((url) => seen.push(url));
    expect(seen).toEqual(['wallet://join?a=1']);
    pushInvite('wallet://join?a=2');
    expect(seen).toEqual(['wallet://join?a=1', 'wallet://join?a=2']);
    unsubscribe();
    pushInvite('wallet://join?a=3');
    expect(seen).toHaveLength(2);
  });
});
