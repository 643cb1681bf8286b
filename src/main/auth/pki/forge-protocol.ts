import type { CertificateIdentity, OpenedPkcs12 } from './forge-ops';
import type { IssuedPersonal, PersonalCertRequest, PkiMaterial } from './material';

/** Messages between main and the forge worker. */
export type ForgeRequest =
  | { op: 'loginCertificate'; p12: Uint8Array; pin: string; caCertPem: string; nowMs: number }
  | { op: 'openPkcs12'; p12: Uint8Array; password: string }
  | { op: 'generatePki'; nowMs: number; users: PersonalCertRequest[] }
  | {
      op: 'issuePersonal';
      ca: { keyPem: string; certPem: string };
      user: PersonalCertRequest;
      notBeforeMs: number;
      notAfterMs: number;
    };

export interface ForgeResults {
  loginCertificate: CertificateIdentity;
  openPkcs12: OpenedPkcs12;
  generatePki: PkiMaterial;
  issuePersonal: IssuedPersonal;
}
