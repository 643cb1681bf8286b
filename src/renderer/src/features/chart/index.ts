export { ChartView } from './ChartView';
export { chartKeys } from './keys';
