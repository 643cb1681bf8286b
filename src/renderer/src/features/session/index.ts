export { SessionProvider, useSession } from './session-context';
export { SessionGate } from './SessionGate';
export { BreakGlassBanner } from './BreakGlassBanner';
export { UserMenu } from './UserMenu';
