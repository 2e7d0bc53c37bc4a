// Kubernetes manifests in deploy/k8s/ (cdk8s-plus), from the image's and the database's facts.
export * from './kubernetes-manifests';
export * from './options';
