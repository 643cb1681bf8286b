import type { z } from 'zod';
import type { dmpMethods } from '../../../../shared/bridge/methods-dmp';
import type { Result } from '../../../../shared/bridge/result';
import { api, ApiError } from '../../bridge';

type DmpContract = typeof dmpMethods;
/** `api.dmp`, typed from the DMP methods themselves. */
export type DmpApi = {
  [K in keyof DmpContract as K extends `dmp.${infer M}` ? M : never]: (input: z.input<DmpContract[K]['input']>) => Promise<Result<z.output<DmpContract[K]['output']>>>;
};

/** The DMP namespace of the bridge; a clear French error if this workstation does not serve it. */
export function dmpApi(): DmpApi {
  const ns = (api as unknown as { dmp?: DmpApi }).dmp;
  if (!ns) throw new ApiError('UNKNOWN_METHOD', 'Le DMP n’est pas disponible sur ce poste.');
  return ns;
}

export { ApiError };
