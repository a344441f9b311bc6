/** The repository's workload manifests with another nginx image or nginx.conf: the next version an operator deploys. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimCluster } from './simulated-aws/world';

export const WORKLOAD_DIR = join(__dirname, '..', '..', 'config', 'workload');
export const CURRENT_IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
export const NEXT_IMAGE = 'public.ecr.aws/nginx/nginx:1.28';
export const EDGE_DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/kubecdn-edge/deployments/edge-nginx';
export const EDGE_CONFIGMAPS_PATH = '/api/v1/namespaces/kubecdn-edge/configmaps';
/** A line of config/workload/10-nginx-config.yaml's nginx.conf, and the one the next version has instead. */
export const CURRENT_NGINX_LINE = 'keepalive_timeout 65s;';
export const NEXT_NGINX_LINE = 'keepalive_timeout 60s;';

/** A temporary copy of config/workload with `replace` applied to every manifest file's text. */
function workloadWith(replace: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubecdn-workload-'));
  for (const file of readdirSync(WORKLOAD_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)))
    writeFileSync(join(dir, file), replace(readFileSync(join(WORKLOAD_DIR, file), 'utf8')));
  return dir;
}

/** A temporary copy of config/workload with `image` in place of the current nginx image. */
export function workloadWithImage(image: string): string {
  return workloadWith((text) => text.replaceAll(CURRENT_IMAGE, image));
}

/** A temporary copy of config/workload whose nginx.conf keeps idle connections 60 s instead of 65 (same image). */
export function workloadWithNextNginxConf(): string {
  const dir = workloadWith((text) => text.replace(CURRENT_NGINX_LINE, NEXT_NGINX_LINE));
  if (!readFileSync(join(dir, '10-nginx-config.yaml'), 'utf8').includes(NEXT_NGINX_LINE))
    throw new Error(`config/workload/10-nginx-config.yaml no longer has "${CURRENT_NGINX_LINE}"; update test/support/next-workload.ts`);
  return dir;
}

type ConfigMapObject = { metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> };

/**
 * The versions of one of the workload's ConfigMaps in the kubecdn-edge namespace (content-named,
 * found by their manifest name label; by default nginx.conf's), by name.
 */
export function edgeConfigMaps(cluster: SimCluster, configName = 'edge-nginx'): Map<string, ConfigMapObject> {
  const found = new Map<string, ConfigMapObject>();
  for (const [key, object] of cluster.objects) {
    const configMap = object as unknown as ConfigMapObject;
    if (key.startsWith(`${EDGE_CONFIGMAPS_PATH}/`) && configMap.metadata.labels?.['kubecdn.io/config-name'] === configName)
      found.set(configMap.metadata.name, configMap);
  }
  return found;
}

/** The name of the ConfigMap the Deployment's `config` volume mounts. */
export function mountedConfigMapName(cluster: SimCluster, deploymentPath = EDGE_DEPLOYMENT_PATH): string {
  const deployment = cluster.objects.get(deploymentPath) as
    { spec: { template: { spec: { volumes?: { name: string; configMap?: { name: string } }[] } } } } | undefined;
  const name = deployment?.spec.template.spec.volumes?.find((v) => v.name === 'config')?.configMap?.name;
  if (!name) throw new Error(`${deploymentPath} has no config volume from a ConfigMap`);
  return name;
}

/** The ConfigMap the Deployment's `config` volume mounts, as the cluster holds it (fails when it is missing). */
export function mountedConfigMap(cluster: SimCluster, deploymentPath = EDGE_DEPLOYMENT_PATH): ConfigMapObject {
  const namespace = /\/namespaces\/([^/]+)\//.exec(deploymentPath)![1];
  const name = mountedConfigMapName(cluster, deploymentPath);
  const configMap = cluster.objects.get(`/api/v1/namespaces/${namespace}/configmaps/${name}`);
  if (!configMap) throw new Error(`${deploymentPath} mounts ConfigMap ${name}, which the cluster does not hold`);
  return configMap as unknown as ConfigMapObject;
}
