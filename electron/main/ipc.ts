import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Notification,
  safeStorage,
} from 'electron';
import type { z } from 'zod';
import { isWalletError, WalletError } from '../../shared/errors';
import type {
  DesktopErrorCode,
  DesktopResult,
  LanNearby,
  LanRoom,
  LanStatus,
  RelayInfo,
  SaveFileResult,
  SecretStatus,
} from '../preload/api';
import { IPC, type InvokeChannel } from '../preload/channels';
import { confirmOverwrite, type SaveDialogs } from './save-dialog';
import { createSecretBinding, type SecretBinding, secretBindingPath } from './secret-binding';
import {
  lanEnabledRequest,
  lanRoomsRequest,
  noArgument,
  notifyRequest,
  pendingWritesRequest,
  protectSecretRequest,
  saveBinaryFileRequest,
  saveFileRequest,
  unprotectSecretRequest,
  updateEnabledRequest,
} from './ipc-schemas';
import type { UpdateController } from './updater';

export interface IpcDeps {
  /** True for the app's own page URLs; calls from anywhere else are refused. */
  isAppUrl(url: string): boolean;
  /** The relay the app uses, or null when the in-process relay could not start. */
  relayInfo(): Promise<RelayInfo | null>;
  /** "Sync with devices on this network"; absent where the app offers no LAN sync. */
  lan?: LanControl;
  /** Injected for tests; defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** Injected for tests; defaults to writing UTF-8 with node:fs. */
  writeTextFile?(path: string, content: string): Promise<void>;
  /** Injected for tests; defaults to writing the bytes with node:fs. */
  writeBinaryFile?(path: string, bytes: Uint8Array): Promise<void>;
  /** Injected for tests; defaults to node:fs. */
  fileExists?(path: string): Promise<boolean>;
  /** Keychain blobs bound to this installation; defaults to safeStorage + `<userData>/secret-binding.json`. */
  secrets?: SecretBinding;
  /** Automatic updates; absent where the app has none (the calls then answer UPDATE_NOT_READY). */
  updates?: Pick<UpdateController, 'status' | 'setEnabled' | 'install' | 'reportPendingWrites'>;
  /** A notification with a target was clicked: show the window and open that app route. */
  onNotificationClick?(target: string): void;
}

/** What the LAN IPC calls reach (LanHost plus the app's setting and window reload). */
export interface LanControl {
  setEnabled(enabled: boolean): Promise<LanStatus>;
  setRooms(rooms: readonly LanRoom[]): void;
  status(): LanStatus;
  nearby(): readonly LanNearby[];
}

type Code = DesktopErrorCode;

interface Route<S extends z.ZodType, O> {
  readonly schema: S;
  run(input: z.output<S>, event: IpcMainInvokeEvent): Promise<O> | O;
}

const route = <S extends z.ZodType, O>(
  schema: S,
  run: (input: z.output<S>, event: IpcMainInvokeEvent) => Promise<O> | O,
): Route<S, O> => ({ schema, run });

const fail = (code: Code, message: string): DesktopResult<never> => ({ ok: false, error: { code, message } });

/** Only the app's own top-level page may call: not a subframe, not a page it navigated to. */
function senderProblem(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null) return 'calls from subframes are not allowed';
  if (!isAppUrl(frame.url)) return 'the caller is not the app page';
  return null;
}

function describeIssues(error: z.ZodError): string {
  // Paths and rules only: values may be secrets or megabytes of CSV.
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'argument'}: ${issue.message}`)
    .join('; ');
}

/** Validates sender and arguments, runs the handler, and turns every outcome into a DesktopResult. */
async function dispatch<S extends z.ZodType, O>(
  r: Route<S, O>,
  deps: IpcDeps,
  event: IpcMainInvokeEvent,
  args: unknown[],
): Promise<DesktopResult<O>> {
  const problem = senderProblem(event, deps.isAppUrl);
  if (problem) return fail('IPC_FORBIDDEN_SENDER', `Refused: ${problem}.`);
  if (args.length > 1) return fail('IPC_BAD_ARGUMENT', 'Too many arguments.');
  const parsed = r.schema.safeParse(args[0]);
  if (!parsed.success) return fail('IPC_BAD_ARGUMENT', `Invalid argument: ${describeIssues(parsed.error)}`);
  try {
    return { ok: true, value: await r.run(parsed.data, event) };
  } catch (e) {
    if (isWalletError(e)) return fail(e.code as Code, e.message);
    return fail('INTERNAL', 'The desktop shell hit an unexpected error.');
  }
}

function secretStatus(platform: NodeJS.Platform): SecretStatus {
  const available = safeStorage.isEncryptionAvailable();
  const backend =
    platform === 'darwin'
      ? 'keychain'
      : platform === 'win32'
        ? 'dpapi'
        : safeStorage.getSelectedStorageBackend();
  return { available, backend, secure: available && backend !== 'basic_text' && backend !== 'unknown' };
}

function requireUpdates(updates: IpcDeps['updates']): NonNullable<IpcDeps['updates']> {
  if (!updates) throw new WalletError<Code>('UPDATE_NOT_READY', 'This app does not update itself.');
  return updates;
}

function requireLan(lan: LanControl | undefined): LanControl {
  if (!lan) throw new WalletError<Code>('LAN_UNAVAILABLE', 'Sync on this network is not available here.');
  return lan;
}

/** Builds the channel → handler table; exported so tests can check the set of channels. */
export function createRoutes(deps: IpcDeps) {
  const platform = deps.platform ?? process.platform;
  const writeTextFile = deps.writeTextFile ?? ((path: string, text: string) => writeFile(path, text, 'utf8'));
  const writeBinaryFile =
    deps.writeBinaryFile ?? ((path: string, bytes: Uint8Array) => writeFile(path, bytes));
  const fileExists =
    deps.fileExists ??
    ((path: string) =>
      access(path).then(
        () => true,
        () => false,
      ));
  let secrets = deps.secrets;
  // Created on first use: userData is only known once the app is ready.
  const binding = () => {
    secrets ??= createSecretBinding(secretBindingPath(app.getPath('userData')), safeStorage);
    return secrets;
  };

  /** The save dialog (never replacing a file unasked), then `write` to the chosen path. */
  const saveAs = async (
    req: { defaultName: string; filters?: { name: string; extensions: string[] }[] | undefined },
    event: IpcMainInvokeEvent,
    write: (path: string) => Promise<void>,
  ): Promise<SaveFileResult> => {
    const parent = BrowserWindow.fromWebContents(event.sender);
    const dialogs: SaveDialogs = {
      save: (options) => (parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options)),
      ask: (options) => (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options)),
    };
    const path = await confirmOverwrite(
      dialogs,
      {
        defaultPath: join(app.getPath('documents'), req.defaultName),
        filters: req.filters?.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
      },
      { platform, fileExists, locale: app.getLocale?.() },
    );
    if (path === null) return { saved: false };
    try {
      await write(path);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new WalletError<Code>('FILE_WRITE_FAILED', `Could not write the file (${reason}).`);
    }
    return { saved: true, path };
  };

  return {
    [IPC.saveFile]: route(saveFileRequest, (req, event) =>
      saveAs(req, event, (path) => writeTextFile(path, req.content)),
    ),
    [IPC.saveBinaryFile]: route(saveBinaryFileRequest, (req, event) =>
      saveAs(req, event, (path) => writeBinaryFile(path, req.bytes)),
    ),
    [IPC.protectSecret]: route(protectSecretRequest, (plaintext) => binding().protect(plaintext)),
    [IPC.unprotectSecret]: route(unprotectSecretRequest, (blob) => binding().unprotect(blob)),
    [IPC.secretStatus]: route(noArgument, () => secretStatus(platform)),
    [IPC.notify]: route(notifyRequest, (req) => {
      if (!Notification.isSupported()) {
        throw new WalletError<Code>('NOTIFY_UNSUPPORTED', 'This system does not support notifications.');
      }
      const notification = new Notification({ title: req.title, body: req.body });
      const target = req.target;
      if (target && deps.onNotificationClick) {
        notification.on('click', () => deps.onNotificationClick?.(target));
      }
      notification.show();
      return { shown: true as const };
    }),
    [IPC.relayInfo]: route(noArgument, async () => {
      const info = await deps.relayInfo();
      if (!info) throw new WalletError<Code>('RELAY_UNAVAILABLE', 'The built-in relay is not running.');
      return info;
    }),
    [IPC.version]: route(noArgument, () => app.getVersion()),
    [IPC.lanSetEnabled]: route(lanEnabledRequest, async (enabled) => {
      const lan = requireLan(deps.lan);
      try {
        return await lan.setEnabled(enabled);
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code ?? 'unknown error';
        throw new WalletError<Code>('LAN_UNAVAILABLE', `Could not start sync on this network (${reason}).`);
      }
    }),
    [IPC.lanSetRooms]: route(lanRoomsRequest, (rooms) => {
      requireLan(deps.lan).setRooms(rooms);
      return { rooms: rooms.length };
    }),
    [IPC.lanStatus]: route(noArgument, () => requireLan(deps.lan).status()),
    [IPC.lanNearby]: route(noArgument, () => requireLan(deps.lan).nearby()),
    [IPC.updateStatus]: route(noArgument, () => requireUpdates(deps.updates).status()),
    [IPC.updateSetEnabled]: route(updateEnabledRequest, (on) => requireUpdates(deps.updates).setEnabled(on)),
    [IPC.updateInstall]: route(noArgument, () => {
      requireUpdates(deps.updates).install();
      return { installing: true as const };
    }),
    [IPC.pendingWrites]: route(pendingWritesRequest, (count) => {
      deps.updates?.reportPendingWrites(count);
      return { pending: count };
    }),
  } satisfies Record<InvokeChannel, Route<z.ZodType, unknown>>;
}

/** Registers every handler on ipcMain; returns a function that removes them again. */
export function registerIpcHandlers(deps: IpcDeps): () => void {
  const routes = createRoutes(deps);
  const channels = Object.keys(routes) as InvokeChannel[];
  for (const channel of channels) {
    const r = routes[channel] as Route<z.ZodType, unknown>;
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(r, deps, event, args));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
