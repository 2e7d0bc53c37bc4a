// The import check of the service's own Python files: its options.
export * from './options';
