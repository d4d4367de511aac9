// Sandboxed preload: bundled into one CommonJS file (out/preload/index.cjs) that only requires 'electron'.
import { contextBridge, ipcRenderer } from 'electron';
import { createTallyApi } from './tally-api';

contextBridge.exposeInMainWorld('tally', createTallyApi(ipcRenderer));
