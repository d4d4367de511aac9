/**
 * The "Sync with devices on this network" choice, kept by the main process in
 * `<userData>/lan-sync.json`: it must be known before the window loads (the page's connection
 * policy depends on it) and it is about this device, not about any group.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const lanSettingPath = (userDataDir: string): string => join(userDataDir, 'lan-sync.json');

/** False (the default) when the file is missing, unreadable or not what we wrote. */
export async function readLanSetting(path: string): Promise<boolean> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && (value as { enabled?: unknown }).enabled === true;
  } catch {
    return false;
  }
}

export async function writeLanSetting(path: string, enabled: boolean): Promise<void> {
  await writeFile(path, `${JSON.stringify({ enabled })}\n`, 'utf8');
}
