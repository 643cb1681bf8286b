import './audit.css';
import { useState } from 'react';
import { EpisodeQueue } from './EpisodeQueue';
import { ExportPanel } from './ExportPanel';
import { JournalFilters } from './JournalFilters';
import { JournalList, type JournalFilter } from './JournalList';
import { VerifyJournal } from './VerifyJournal';

/** The data protection officer's workspace: the journal, its integrity, exports, break-glass review. */
export function AuditWorkspace() {
  const [tab, setTab] = useState<'journal' | 'breakglass' | 'verify' | 'export'>('journal');
  const [filter, setFilter] = useState<JournalFilter | null>({});

  return (
    <div className="audit-workspace">
      <nav className="tabs" aria-label="Outils du DPO">
        {(
          [
            ['journal', 'Journal des accès'],
            ['breakglass', 'Accès exceptionnels à revoir'],
            ['verify', 'Vérifier le journal'],
            ['export', 'Exports et relevés patient'],
          ] as const
        ).map(([k, label]) => (
          <button key={k} type="button" className={tab === k ? 'active' : ''} aria-current={tab === k} onClick={() => setTab(k)}>
            {label}
          </button>
        ))}
      </nav>
      {tab === 'journal' && (
        <section className="panel">
          <JournalFilters onApply={setFilter} />
          {filter && <JournalList filter={filter} />}
        </section>
      )}
      {tab === 'breakglass' && (
        <EpisodeQueue />
      )}
      {tab === 'verify' && <VerifyJournal />}
      {tab === 'export' && <ExportPanel />}
    </div>
  );
}
