/**
 * Workload manifests as the workflow handles them: which kinds it can apply (and where they live
 * in the API), placeholder substitution, and the order of apply. Pure: the CDK app uses it to
 * reject bad manifests at synth, the Lambda to render and apply them.
 */
import { createHash } from 'node:crypto';

export interface KubernetesManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
  /** Lower applies first: namespaces before what lives in them, the Service before what scales behind it. */
  readonly order: number;
}

/** The kinds an edge workload needs. Others are refused at synth with this list, rather than guessed at. */
const RESOURCES: Record<string, ResourceInfo> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false, order: 0 },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true, order: 1 },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true, order: 1 },
  'v1/Service': { plural: 'services', namespaced: true, order: 2 },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true, order: 3 },
  'policy/v1/PodDisruptionBudget': { plural: 'poddisruptionbudgets', namespaced: true, order: 4 },
  'autoscaling/v2/HorizontalPodAutoscaler': { plural: 'horizontalpodautoscalers', namespaced: true, order: 4 },
  'networking.k8s.io/v1/NetworkPolicy': { plural: 'networkpolicies', namespaced: true, order: 4 },
};

export const SUPPORTED_KINDS = Object.keys(RESOURCES);

function resourceInfo(manifest: Pick<KubernetesManifest, 'apiVersion' | 'kind'>): ResourceInfo | undefined {
  return RESOURCES[`${manifest.apiVersion}/${manifest.kind}`];
}

/** The API path of one object, e.g. `/apis/apps/v1/namespaces/edge/deployments/nginx`. */
export function objectPath(manifest: Pick<KubernetesManifest, 'apiVersion' | 'kind' | 'metadata'>): string {
  const info = resourceInfo(manifest);
  if (!info) throw new Error(`unsupported kind ${manifest.apiVersion}/${manifest.kind}; supported: ${SUPPORTED_KINDS.join(', ')}`);
  const group = manifest.apiVersion.includes('/') ? `/apis/${manifest.apiVersion}` : `/api/${manifest.apiVersion}`;
  const namespace = info.namespaced ? `/namespaces/${encodeURIComponent(manifest.metadata.namespace ?? 'default')}` : '';
  return `${group}${namespace}/${info.plural}/${encodeURIComponent(manifest.metadata.name)}`;
}

/** Problems that would make a manifest set unusable, each naming the file and document. Empty: fine. */
export function manifestProblems(manifests: readonly { source: string; manifest: unknown }[]): string[] {
  const problems: string[] = [];
  let loadBalancers = 0;
  for (const { source, manifest } of manifests) {
    const m = manifest as Partial<KubernetesManifest> | null;
    if (
      !m ||
      typeof m !== 'object' ||
      typeof m.apiVersion !== 'string' ||
      typeof m.kind !== 'string' ||
      typeof m.metadata?.name !== 'string'
    ) {
      problems.push(`${source}: expected a Kubernetes object with apiVersion, kind and metadata.name`);
      continue;
    }
    if (!resourceInfo(m as KubernetesManifest)) {
      problems.push(`${source}: ${m.apiVersion}/${m.kind} is not supported; expected one of ${SUPPORTED_KINDS.join(', ')}`);
    }
    if (m.kind === 'Service' && (m.spec as { type?: string } | undefined)?.type === 'LoadBalancer') loadBalancers += 1;
  }
  if (loadBalancers !== 1) {
    problems.push(
      `expected exactly one Service of type LoadBalancer (the region's DNS record points at its load balancer), found ${loadBalancers}`,
    );
  }
  return problems;
}

/** Values the manifests may reference as `{{NAME}}` (not `${NAME}`, which CloudFormation would take for its own); a string that is exactly one numeric placeholder becomes a number. */
export type PlaceholderValues = Readonly<Record<string, string | number>>;

function substitute(value: unknown, values: PlaceholderValues): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{([A-Z0-9_]+)\}\}$/.exec(value);
    if (whole && typeof values[whole[1]!] === 'number') return values[whole[1]!];
    return value.replace(/\{\{([A-Z0-9_]+)\}\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
  }
  return value;
}

/**
 * The pod-template annotation that carries a digest of the ConfigMaps. Pods read a ConfigMap
 * only when they start, so a changed nginx.conf alone would never reach running pods; putting
 * its digest in the template makes the change a new template, which rolls the pods (Helm's
 * checksum pattern) and lets a failed sync's restore bring the old digest back with the template.
 */
export const CONFIG_HASH_ANNOTATION = 'kubecdn.io/config-hash';

/** A short digest of every ConfigMap's data, in a stable order (namespace, then name). */
export function configMapsHash(manifests: readonly KubernetesManifest[]): string {
  const configMaps = manifests
    .filter((m) => m.apiVersion === 'v1' && m.kind === 'ConfigMap')
    .map((m) => ({ id: `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`, data: m.data ?? {}, binaryData: m.binaryData ?? {} }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(configMaps)).digest('hex').slice(0, 16);
}

function withConfigHash(manifest: KubernetesManifest, hash: string): KubernetesManifest {
  if (manifest.apiVersion !== 'apps/v1' || manifest.kind !== 'Deployment') return manifest;
  const spec = (manifest.spec ?? {}) as { template?: { metadata?: { annotations?: Record<string, string> } } };
  const template = spec.template ?? {};
  const metadata = template.metadata ?? {};
  return {
    ...manifest,
    spec: {
      ...spec,
      template: { ...template, metadata: { ...metadata, annotations: { ...metadata.annotations, [CONFIG_HASH_ANNOTATION]: hash } } },
    },
  };
}

/** Fills placeholders, labels every object as part of the project, stamps the ConfigMaps' digest on Deployments, and sorts into apply order. */
export function renderManifests(
  manifests: readonly KubernetesManifest[],
  values: PlaceholderValues,
  partOfLabel: [string, string],
): KubernetesManifest[] {
  const rendered = manifests.map((manifest) => {
    const filled = substitute(manifest, values) as KubernetesManifest;
    return { ...filled, metadata: { ...filled.metadata, labels: { ...filled.metadata.labels, [partOfLabel[0]]: partOfLabel[1] } } };
  });
  const hash = configMapsHash(rendered);
  return rendered
    .map((manifest) => withConfigHash(manifest, hash))
    .sort((a, b) => (resourceInfo(a)?.order ?? 9) - (resourceInfo(b)?.order ?? 9));
}
