import path from 'node:path';
import { DEMO_ACCOUNTS } from '../../auth/demo';
import { DEMO_DMP_PATIENTS } from '../../../shared/demo/dmp-patients';
import type { EmbeddedDmp } from '../runtime';
import { INS_OID } from '../../../shared/ins/oids';
import { professionalId } from '../vihf';
import { DEMO_KINDS, makeDemoCda, makeLargeDemoCda, seedDemoPatients } from './demo';
import { startDmpSandbox, type DmpSandbox } from './server';

/** Seeds the embedded DMP once per data dir: documents, authorisations and oppositions of the demo patients. */
async function seedSandbox(sandbox: DmpSandbox, structureId: string, now: Date): Promise<void> {
  for (const p of DEMO_DMP_PATIENTS) {
    if (!p.hasDmp) continue;
    const demo = { ins: p.ins, given: p.givenNames, family: p.birthFamilyName, birthDate: p.birthDate, sex: p.sex };
    const added = await seedDemoPatients(sandbox, [demo], { authorStructure: structureId });
    if (added > 0) {
      // A recent imaging report, so the "examen récent" flag has something to flag.
      sandbox.addDocument(makeDemoCda(demo, DEMO_KINDS[4]!, new Date(now.getTime() - 6 * 86_400_000)), { authorStructure: structureId });
      // A ~350 KB structured lab report, the newest document: what the panel benchmark opens.
      if (p.scenario === 'autorisation-valide') sandbox.addDocument(makeLargeDemoCda(demo, new Date(now.getTime() - 86_400_000)), { authorStructure: structureId });
    }
    for (const [accountId, status] of Object.entries(p.authorizations)) {
      const account = DEMO_ACCOUNTS.find((a) => a.id === accountId);
      if (!account) continue;
      const user = { id: account.id, name: account.displayName, role: account.role, ...(account.rpps ? { rpps: account.rpps } : {}) };
      sandbox.setAuthorization(p.ins, professionalId(user, structureId), status);
    }
    sandbox.setOppositions(p.ins, p.oppositions);
  }
}

/**
 * The "DMP de test" that demos and tests get when no DMP endpoint is configured: the
 * sandbox on loopback, trusting the establishment certificate, seeded with the demo
 * patients. Only composition roots and test harnesses import this module.
 */
export function embeddedTestDmp(): EmbeddedDmp {
  return {
    label: 'DMP de test',
    insOid: INS_OID.TEST_NIR,
    async start({ dataDir, establishmentCertPem, structureId, now }) {
      const sandbox = await startDmpSandbox({ dataDir: path.join(dataDir, 'dmp-sandbox'), trustedCertPems: [establishmentCertPem] });
      await seedSandbox(sandbox, structureId, now);
      return { servicesUrl: sandbox.servicesUrl, close: () => sandbox.close() };
    },
  };
}
