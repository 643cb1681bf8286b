import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { DmpEmergencyBanner } from '../features/dmp';
import { BreakGlassBanner, SessionGate, SessionProvider } from '../features/session';
import { AppHeader } from '../features/shell';
import { Workspace } from '../features/workspace';
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
