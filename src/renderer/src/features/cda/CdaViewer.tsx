import { useMemo } from 'react';
import { parseCda } from '../../../../shared/cda';
import { CdaDocumentView } from './CdaDocumentView';

/** Parses and shows an untrusted CDA document; bad input shows a French message, never throws. */
export function CdaViewer({ xml, maxBytes }: { xml: string; maxBytes?: number }) {
  const result = useMemo(() => parseCda(xml, maxBytes !== undefined ? { maxBytes } : {}), [xml, maxBytes]);
  return <CdaDocumentView doc={result} />;
}
