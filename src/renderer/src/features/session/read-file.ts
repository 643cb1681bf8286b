/** Reads a small file chosen by the user as base64, refusing anything larger than `maxBytes`. */
export async function readFileAsBase64(file: File, maxBytes: number): Promise<string> {
  if (file.size === 0) throw new Error('Ce fichier est vide.');
  if (file.size > maxBytes) throw new Error('Ce fichier est trop volumineux pour être un certificat personnel.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
