import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_LABELS, auditEventLabel } from '../../../src/shared/audit-labels';
import { RECORD_ACCESS_EVENTS } from '../../../src/shared/bridge/methods-record';

const MAIN = path.resolve(__dirname, '..', '..', '..', 'src', 'main');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return n === 'sandbox' || n === 'test-server' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every event type main writes to the journal, as its source spells it: `type: '…'` (ternaries too) and the DMP status changes. */
function journalledTypes(): Set<string> {
  const types = new Set<string>(Object.keys(RECORD_ACCESS_EVENTS));
  for (const file of sources(MAIN)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\btype: ([^,\n}]+)/g)) {
      for (const lit of m[1]!.matchAll(/'([a-z]+\.[a-z0-9_.]+)'/g)) types.add(lit[1]!);
    }
    for (const m of text.matchAll(/changeStatus\([^)]*?'(dmp\.[a-z_]+)'/g)) types.add(m[1]!);
    for (const m of text.matchAll(/change\(call, '([a-z]+\.[a-z.]+)'/g)) types.add(m[1]!);
  }
  return types;
}

describe('journal event labels', () => {
  it('has a French label for every event type main journals, so neither the DPO nor a patient reads a code', () => {
    const types = [...journalledTypes()].filter((t) => !t.startsWith('test.'));
    expect(types).toEqual(expect.arrayContaining(['dmp.integrate', 'dmp.breakglass', 'users.certificate.revoke', 'journal.review']));
    expect(types.filter((t) => !(t in AUDIT_EVENT_LABELS))).toEqual([]);
  });

  it('words an unknown type by its family, never as the raw code', () => {
    expect(auditEventLabel('dmp.nouveau')).toBe('DMP : autre opération');
    expect(auditEventLabel('inconnu.x')).toBe('Autre événement');
  });
});
