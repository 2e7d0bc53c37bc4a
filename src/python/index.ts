// pyproject.toml: the Python facts of a service (versions, the app, the tests, the dependencies).
export * from './options';
export * from './pyproject';
