import * as path from 'path';
import { ToolProcess } from '../support/tool-process';

const tool = new ToolProcess(path.join(__dirname, 'kube-validate.mjs'));

/**
 * Findings of the Kubernetes OpenAPI schemas (npm `kubernetes-models`, Kubernetes 1.34) on manifest
 * files, by file: each YAML document validated by the model of its apiVersion and kind.
 */
export async function kubernetesSchemaFindings(files: string[]): Promise<Record<string, string[]>> {
  if (files.length === 0) return {};
  return (await tool.request(files)) as Record<string, string[]>;
}
