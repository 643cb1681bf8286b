export { FormFooter } from './FormFooter';
