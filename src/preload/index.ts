import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CHANNEL, buildApi, type BridgeApi } from '../shared/bridge/contract';

/**
 * The only thing the renderer gets from Electron: `window.api`, one function per
 * contract method. ipcRenderer itself is never exposed.
 */
const api = buildApi((method, input) => ipcRenderer.invoke(BRIDGE_CHANNEL, method, input)) satisfies BridgeApi;

contextBridge.exposeInMainWorld('api', api);
