import { z } from 'zod';
import { method } from './define';

export const appMethods = {
  'app.info': method({
    summary: 'Version, data directory and host mode of the running workstation.',
    input: z.object({}).strict(),
    output: z.object({
      name: z.string(),
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      dataDir: z.string(),
      workstationId: z.string(),
      workstationName: z.string(),
    }),
    access: 'public',
    scope: 'none',
  }),
  'app.health': method({
    summary: 'Liveness of the host core and of its services.',
    input: z.object({}).strict(),
    output: z.object({
      status: z.enum(['ok', 'degraded']),
      uptimeSeconds: z.number().nonnegative(),
      time: z.string(),
      services: z.record(z.string(), z.enum(['ok', 'degraded', 'down'])),
    }),
    access: 'public',
    scope: 'none',
  }),
  'app.echo': method({
    summary: 'Echoes a short text back: used to check the bridge end to end.',
    input: z.object({ text: z.string().max(1000) }).strict(),
    output: z.object({ text: z.string(), receivedAt: z.string() }),
    access: 'public',
    scope: 'none',
  }),
} as const;
