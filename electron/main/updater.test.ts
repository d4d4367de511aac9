import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readUpdateSetting, updateSettingPath, writeUpdateSetting } from './update-setting';
import { type AutoUpdaterLike, UpdateController, updateEligibility } from './updater';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

class FakeUpdater extends EventEmitter implements AutoUpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  checkForUpdates = vi.fn(async () => {
    this.emit('checking-for-update');
    return null;
  });
  quitAndInstall = vi.fn();
}

const SIGNED_WIN = 'provider: github\nowner: tally\nrepo: tally\npublisherName:\n  - Tally Contributors\n';

async function controller(options: { enabled?: boolean | null; eligible?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'tally-updater-'));
  dirs.push(dir);
  const file = updateSettingPath(dir);
  if (options.enabled != null) await writeUpdateSetting(file, options.enabled);
  const updater = new FakeUpdater();
  const statuses: unknown[] = [];
  const make = vi.fn(() => updater);
  const c = new UpdateController({
    eligibility:
      options.eligible === false ? { ok: false, reason: 'this build is not signed' } : { ok: true },
    updater: make,
    readSetting: () => readUpdateSetting(file),
    writeSetting: (on) => writeUpdateSetting(file, on),
    onStatus: (s) => statuses.push(s),
    intervalMs: 1000,
  });
  return { c, updater, make, file, statuses };
}

describe('which builds may update themselves', () => {
  it('only packaged, signed Windows and macOS builds', () => {
    const base = { isPackaged: true, updateConfig: SIGNED_WIN };
    expect(updateEligibility({ ...base, platform: 'win32' })).toEqual({ ok: true });
    expect(updateEligibility({ ...base, platform: 'darwin', updateConfig: 'provider: github\n' })).toEqual({
      ok: true,
    });
    expect(
      updateEligibility({ ...base, platform: 'win32', updateConfig: 'provider: github\n' }),
    ).toMatchObject({
      ok: false,
      reason: 'this build is not signed',
    });
    expect(updateEligibility({ ...base, platform: 'linux' })).toMatchObject({ ok: false, reason: /Linux/ });
    expect(updateEligibility({ ...base, platform: 'win32', isPackaged: false })).toMatchObject({ ok: false });
    expect(updateEligibility({ ...base, platform: 'darwin', updateConfig: null })).toMatchObject({
      ok: false,
    });
  });
});

describe('the setting', () => {
  it('is on by default and kept across restarts when switched off', async () => {
    const { c, file } = await controller();
    expect((await c.start()).enabled).toBe(true);
    await c.setEnabled(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ enabled: false });
    expect(await readUpdateSetting(file)).toBe(false);
    c.dispose();
  });

  it('off: the updater is never created, nothing is checked or installed on quit', async () => {
    const { c, make } = await controller({ enabled: false });
    expect(await c.start()).toMatchObject({ enabled: false, supported: true, state: 'idle' });
    expect(make).not.toHaveBeenCalled();
  });

  it('switched off after it ran: stops checking and will not install on quit', async () => {
    vi.useFakeTimers();
    const { c, updater } = await controller();
    await c.start();
    expect(updater.autoInstallOnAppQuit).toBe(true);
    await c.setEnabled(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    const checks = updater.checkForUpdates.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(checks);
  });

  it('an unsigned build reports why and never loads the updater', async () => {
    const { c, make } = await controller({ eligible: false });
    expect(await c.start()).toEqual({
      enabled: true,
      supported: false,
      reason: 'this build is not signed',
      state: 'idle',
    });
    expect(make).not.toHaveBeenCalled();
  });
});

describe('checking, downloading, installing', () => {
  it('checks at start and on an interval, downloads by itself, refuses downgrades', async () => {
    vi.useFakeTimers();
    const { c, updater } = await controller();
    await c.start();
    expect(updater.autoDownload).toBe(true);
    expect(updater.allowDowngrade).toBe(false);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(3);
    c.dispose();
  });

  it('reports progress to the page and installs on request once ready', async () => {
    const { c, updater, statuses } = await controller();
    await c.start();
    expect(() => c.install()).toThrow(expect.objectContaining({ code: 'UPDATE_NOT_READY' }));
    updater.emit('update-available', { version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(statuses.at(-1)).toMatchObject({ state: 'ready', version: '0.2.0' });
    c.install();
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
    c.dispose();
  });

  it('never installs while the renderer has unsaved writes, neither on request nor on quit', async () => {
    const { c, updater } = await controller();
    await c.start();
    updater.emit('update-downloaded', { version: '0.2.0' });
    c.reportPendingWrites(2);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(() => c.install()).toThrow(expect.objectContaining({ code: 'UPDATE_BUSY' }));
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    c.reportPendingWrites(0);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    c.install();
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
    c.dispose();
  });

  it('a failed download is reported, a ready update survives a later error', async () => {
    const { c, updater, statuses } = await controller();
    await c.start();
    updater.emit('error', new Error('sha512 checksum mismatch'));
    expect(statuses.at(-1)).toMatchObject({ state: 'error' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    updater.emit('error', new Error('network'));
    expect(statuses.at(-1)).toMatchObject({ state: 'ready' });
    c.dispose();
  });
});
