/**
 * "Install updates automatically", kept by the main process in `<userData>/auto-update.json` (like
 * lan-setting.ts): it is about this installation, and it must be known before anything is checked.
 * On unless the person switched it off.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const updateSettingPath = (userDataDir: string): string => join(userDataDir, 'auto-update.json');

/** True (the default) unless the file says `{"enabled":false}`. */
export async function readUpdateSetting(path: string): Promise<boolean> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return !(
      typeof value === 'object' &&
      value !== null &&
      (value as { enabled?: unknown }).enabled === false
    );
  } catch {
    return true;
  }
}

export async function writeUpdateSetting(path: string, enabled: boolean): Promise<void> {
  await writeFile(path, `${JSON.stringify({ enabled })}\n`, 'utf8');
}
