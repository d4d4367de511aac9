/**
 * "Save as…" that never replaces an existing file without asking, on every OS. Windows and macOS
 * file dialogs ask themselves. On Linux it depends on the dialog in use (GTK honours
 * `showOverwriteConfirmation`, the XDG portal and KDE may not), so there the shell asks itself,
 * and only itself (not twice): when the chosen file exists it shows a Replace / Cancel box, and
 * Cancel goes back to the file dialog.
 */
import { basename } from 'node:path';

export interface SaveDialogOptions {
  defaultPath: string;
  filters?: Array<{ name: string; extensions: string[] }>;
  properties?: Array<'createDirectory' | 'showOverwriteConfirmation'>;
}

export interface MessageBoxOptions {
  type: 'warning';
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
}

export interface SaveDialogs {
  save(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  ask(options: MessageBoxOptions): Promise<{ response: number }>;
}

export interface ConfirmOptions {
  platform: NodeJS.Platform;
  fileExists(path: string): Promise<boolean>;
  /** App locale (`app.getLocale()`); Chinese gets Chinese buttons, everything else English. */
  locale?: string;
}

/** The OSes whose native save dialog always confirms a replacement itself. */
const NATIVE_CONFIRM: ReadonlySet<NodeJS.Platform> = new Set(['win32', 'darwin']);

const TEXT = {
  en: {
    message: (name: string) => `“${name}” already exists. Replace it?`,
    detail: 'Replacing it overwrites its current contents.',
    replace: 'Replace',
    cancel: 'Cancel',
  },
  zh: {
    message: (name: string) => `“${name}”已存在。要替换它吗？`,
    detail: '替换会覆盖它现在的内容。',
    replace: '替换',
    cancel: '取消',
  },
} as const;

/** Runs the save dialog until the person picks a path they agreed to write; null when cancelled. */
export async function confirmOverwrite(
  dialogs: SaveDialogs,
  options: Omit<SaveDialogOptions, 'properties'>,
  confirm: ConfirmOptions,
): Promise<string | null> {
  const native = NATIVE_CONFIRM.has(confirm.platform);
  const text = confirm.locale?.toLowerCase().startsWith('zh') ? TEXT.zh : TEXT.en;
  let defaultPath = options.defaultPath;
  for (;;) {
    const choice = await dialogs.save({
      ...options,
      defaultPath,
      // createDirectory: macOS only. showOverwriteConfirmation is left off on Linux on purpose:
      // the check below asks, whichever dialog implementation is in use.
      properties: native ? ['createDirectory', 'showOverwriteConfirmation'] : ['createDirectory'],
    });
    if (choice.canceled || !choice.filePath) return null;
    const path = choice.filePath;
    if (native || !(await confirm.fileExists(path))) return path;
    const answer = await dialogs.ask({
      type: 'warning',
      message: text.message(basename(path)),
      detail: text.detail,
      buttons: [text.replace, text.cancel],
      defaultId: 1,
      cancelId: 1,
    });
    if (answer.response === 0) return path;
    defaultPath = path;
  }
}
