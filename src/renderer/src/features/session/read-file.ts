import { bytesToBase64 } from '../../../../shared/text/base64';

/** Reads a small file chosen by the user as base64, refusing anything larger than `maxBytes`. */
export async function readFileAsBase64(file: File, maxBytes: number): Promise<string> {
  if (file.size === 0) throw new Error('Ce fichier est vide.');
  if (file.size > maxBytes) throw new Error('Ce fichier est trop volumineux pour être un certificat personnel.');
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}
