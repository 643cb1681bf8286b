import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { AppHeader } from '../features/shell/AppHeader';
import { HomePlaceholder } from '../features/shell/HomePlaceholder';
import { createQueryClient } from './query-client';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <div className="app">
        <AppHeader />
        <main className="app-main" id="contenu">
          <HomePlaceholder />
        </main>
      </div>
    </QueryClientProvider>
  );
}
