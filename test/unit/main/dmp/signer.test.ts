import { afterAll, describe, expect, it } from 'vitest';
import { createWorkerSigner } from '../../../../src/main/dmp/signer';
import { verifyVihf, VIHF_ATTR } from '../../../../src/main/dmp/vihf';
import { verifySubmissionSignature } from '../../../../src/main/dmp/xades';
import { ctx, doctorNameId, makeEstablishmentPki, pki, startHarness, vihfConfig } from './helpers';

describe('DMP signing worker', () => {
  const signer = createWorkerSigner({ vihf: vihfConfig() });
  afterAll(async () => signer.close());

  it('signs VIHF tokens in the worker, verifiable and bound to the request context', async () => {
    const [a, b] = await Promise.all([signer.signVihf(ctx()), signer.signVihf(ctx({ accessMode: 'bris_de_glace' }))]);
    const va = verifyVihf(a, [pki().certPem]);
    const vb = verifyVihf(b, [pki().certPem]);
    expect(va?.nameId).toBe(doctorNameId);
    expect(va?.attributes[VIHF_ATTR.purposeOfUse]).toBe('normal');
    expect(vb?.attributes[VIHF_ATTR.purposeOfUse]).toBe('bris_de_glace');
    expect(verifyVihf(a.replace('Claire MARTIN', 'Claire MARTINE'), [pki().certPem])).toBeUndefined();
  });

  it('signs a submission set with the seal certificate, content passed by transfer', async () => {
    const seal = makeEstablishmentPki('CACHET CHU');
    const sealed = createWorkerSigner({ vihf: vihfConfig(), xades: seal });
    try {
      const content = Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
      const xml = await sealed.signSubmission({ submissionSetUniqueId: '2.25.9', documents: [{ uniqueId: '1.2.3', content }] });
      // The caller's buffer is untouched by the transfer (a copy travels).
      expect(content.toString()).toContain('ClinicalDocument');
      expect(() => verifySubmissionSignature(xml, { submissionSetUniqueId: '2.25.9', documents: [{ uniqueId: '1.2.3', content }], trustedCertPems: [seal.certPem] })).not.toThrow();
      expect(() => verifySubmissionSignature(xml, { submissionSetUniqueId: '2.25.9', documents: [{ uniqueId: '1.2.3', content }], trustedCertPems: [pki().certPem] })).toThrow(/non reconnu/);
    } finally {
      await sealed.close();
    }
  });

  it('reports a broken key with a French error, and refuses after close', async () => {
    const broken = createWorkerSigner({ vihf: { ...vihfConfig(), keyPem: 'pas une clé' } });
    await expect(broken.signVihf(ctx())).rejects.toThrow(/Signature DMP impossible/);
    await broken.close();
    await expect(broken.signVihf(ctx())).rejects.toThrow(/fermé/);
  });

  it('is the gateway default, and the VIHF reuse cache still spares the worker', async () => {
    // A broken key reports through the worker's French error: proof the default signs there.
    const viaWorker = await startHarness({}, { vihf: { ...vihfConfig(), keyPem: 'pas une clé' } });
    try {
      await expect(viaWorker.gateway.getStatus(ctx())).rejects.toThrow(/Signature DMP impossible/);
    } finally {
      await viaWorker.close();
    }
    let fresh = 0;
    const counting = createWorkerSigner({ vihf: vihfConfig() });
    const h = await startHarness({}, { signVihf: (c) => { fresh++; return counting.signVihf(c); } });
    try {
      h.sandbox.ensurePatient({ ins: ctx().ins });
      await h.gateway.getStatus(ctx());
      await h.gateway.getStatus(ctx());
      await h.gateway.getStatus(ctx({ accessMode: 'centre_15' }));
      expect(fresh).toBe(2);
    } finally {
      await h.close();
      await counting.close();
    }
  });
});
