import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { DmpEmergencyBanner } from '../features/dmp';
import { BreakGlassBanner } from '../features/session/BreakGlassBanner';
import { SessionGate } from '../features/session/SessionGate';
import { SessionProvider } from '../features/session/session-context';
import { AppHeader } from '../features/shell/AppHeader';
import { Workspace } from '../features/workspace/Workspace';
import { createQueryClient } from './query-client';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <div className="app">
          <AppHeader />
          <BreakGlassBanner />
          <DmpEmergencyBanner />
          <main className="app-main" id="contenu">
            <SessionGate>
              <Workspace />
            </SessionGate>
          </main>
        </div>
      </SessionProvider>
    </QueryClientProvider>
  );
}
