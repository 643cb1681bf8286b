import { act, render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../../src/shared/bridge/contract';

// The preload's window.api, as the renderer sees it under Electron.
window.api = buildApi(async (method) => {
  if (method === 'app.info') {
    return { ok: true, value: { name: 'Poste clinique CHU', version: '0.1.0', mode: 'electron', dataDir: '/d', workstationId: 'id-1', workstationName: 'Cardiologie – poste 3' } };
  }
  return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' } };
});

const { AppHeader } = await import('../../../../src/renderer/src/features/shell/AppHeader');
const { OnlineIndicator } = await import('../../../../src/renderer/src/features/shell/OnlineIndicator');
const { transport } = await import('../../../../src/renderer/src/bridge');
const { createQueryClient } = await import('../../../../src/renderer/src/app/query-client');

describe('app shell', () => {
  it('uses the preload API when Electron provides it', () => {
    expect(transport).toBe('ipc');
  });

  it('shows the workstation name answered by the host', async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <AppHeader />
      </QueryClientProvider>,
    );
    expect(await screen.findByText('Cardiologie – poste 3')).toBeTruthy();
  });

  it('follows the connection state', () => {
    render(<OnlineIndicator />);
    const indicator = screen.getByTestId('online-indicator');
    expect(indicator.textContent).toContain('En ligne');
    act(() => {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
    });
    expect(indicator.textContent).toContain('Hors ligne');
    act(() => {
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
      window.dispatchEvent(new Event('online'));
    });
    expect(indicator.textContent).toContain('En ligne');
  });
});
