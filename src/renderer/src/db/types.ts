// The record's row types are shared: main's replica and sync engine write the same rows the renderer's cache holds.
export * from '../../../shared/record/types';
