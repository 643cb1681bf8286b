import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BRIDGE_CHANNEL, maxInputBytes } from '../../shared/bridge/contract';
import { fail } from '../../shared/bridge/result';
import type { Host } from '../host/host';
import { isOwnOrigin } from './origins';

/**
 * One IPC channel carries every bridge call. The sender must be the main frame
 * of one of our own pages; anything else (an iframe, a foreign page that got
 * loaded somehow) gets a typed refusal and nothing runs.
 */
export function registerBridge(ipcMain: IpcMain, host: Host, devServerUrl?: string): void {
  ipcMain.handle(BRIDGE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isOwnOrigin(frame.url, devServerUrl)) {
      host.config.logger.warn('bridge call from a foreign frame refused');
      return fail('FORBIDDEN', 'Appel refusé : origine inconnue.');
    }
    // The same per-method cap as the browser host's body limit, measured on the JSON form of the input.
    const limit = maxInputBytes(String(method));
    if (jsonBytes(input) > limit) {
      return fail('INVALID_INPUT', `Requête trop volumineuse pour cette action (limite ${Math.round(limit / 1024)} Ko).`);
    }
    return host.dispatch(method, input, { clientId: `ipc:${event.sender.id}`, transport: 'ipc' });
  });
}

/** Bytes of the input's JSON form; an input JSON cannot carry (a BigInt, a cycle) counts as too large. */
function jsonBytes(input: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
