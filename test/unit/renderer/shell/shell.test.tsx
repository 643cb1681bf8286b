import { act, render, screen, waitFor } from '@testing-library/react';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../../src/shared/bridge/contract';
import type { SessionStatusView } from '../../../../src/shared/bridge/methods-session';

// The preload's window.api, as the renderer sees it under Electron.
let session: SessionStatusView = { state: 'active', user: { id: 'dr.martin', displayName: 'Dr Claire Martin', role: 'medecin', units: ['Cardiologie'] }, method: 'password', lockAfterMs: 300_000, breakGlass: [], demo: true };
window.api = buildApi(async (method) => {
  if (method === 'app.info') {
    return { ok: true, value: { name: 'Poste clinique CHU', version: '0.1.0', mode: 'electron', dataDir: '/d', workstationId: 'id-1', workstationName: 'Cardiologie – poste 3' } };
  }
  if (method === 'session.status' || method === 'session.activity') return { ok: true, value: session };
  if (method === 'session.lock') {
    session = { ...session, state: 'locked', breakGlass: [] };
    return { ok: true, value: session };
  }
  return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'Opération inconnue.' } };
});

const { AppHeader } = await import('../../../../src/renderer/src/features/shell/AppHeader');
const { OnlineIndicator } = await import('../../../../src/renderer/src/features/shell/OnlineIndicator');
const { SessionProvider } = await import('../../../../src/renderer/src/features/session/session-context');
const { SessionGate } = await import('../../../../src/renderer/src/features/session/SessionGate');
const { transport } = await import('../../../../src/renderer/src/bridge');
const { createQueryClient } = await import('../../../../src/renderer/src/app/query-client');

function PatientView() {
  const q = useQuery({ queryKey: ['record.chart', 'p1'], queryFn: async () => 'RIVIÈRE Patricia' });
  return <p data-testid="patient">{q.data}</p>;
}

describe('app shell', () => {
  it('uses the preload API when Electron provides it', () => {
    expect(transport).toBe('ipc');
  });

  it('shows the workstation name answered by the host and the signed-in user', async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <SessionProvider>
          <AppHeader />
        </SessionProvider>
      </QueryClientProvider>,
    );
    expect(await screen.findByText('Cardiologie – poste 3')).toBeTruthy();
    expect(await screen.findByText('Dr Claire Martin')).toBeTruthy();
  });

  it('locking unmounts the patient view and empties the query cache', async () => {
    const client = createQueryClient();
    render(
      <QueryClientProvider client={client}>
        <SessionProvider>
          <AppHeader />
          <SessionGate>
            <PatientView />
          </SessionGate>
        </SessionProvider>
      </QueryClientProvider>,
    );
    expect(await screen.findByText('RIVIÈRE Patricia')).toBeTruthy();
    expect(client.getQueryCache().getAll().length).toBeGreaterThan(0);
    act(() => screen.getByRole('button', { name: 'Verrouiller' }).click());
    await waitFor(() => expect(screen.getByTestId('lock-screen')).toBeTruthy());
    expect(screen.queryByTestId('patient')).toBeNull();
    expect(document.body.textContent).not.toContain('RIVIÈRE');
    expect(client.getQueryCache().find({ queryKey: ['record.chart', 'p1'] })).toBeUndefined();
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
