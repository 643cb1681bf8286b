import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { BRIDGE_CHANNEL } from '../../shared/bridge/contract';
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
    return host.dispatch(method, input, { clientId: `ipc:${event.sender.id}`, transport: 'ipc' });
  });
}
