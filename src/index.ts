export * from './service/options';
export * from './service/resolved';
export * from './service/uv-python-service';
export * from './python/pyproject';
export * from './service/toolchain';
