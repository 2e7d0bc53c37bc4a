// GitHub Actions: the CI and upgrade workflows of a service, a workspace's CI, Dependabot.
export * from './ci-workflow';
export * from './dependabot';
export * from './options';
export * from './upgrade-workflow';
export * from './workspace-workflow';
