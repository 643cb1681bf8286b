export { AppHeader } from './AppHeader';
export { shellKeys } from './keys';
