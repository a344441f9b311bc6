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
  // What the pods' ServiceAccounts may do (the purge sidecar's), in place before the pods start.
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true, order: 1 },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true, order: 1 },
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

/**
 * Values that cannot travel inside the state machine definitions, which carry the manifests: a
 * `${` (CloudFormation's template checks read it as a substitution; placeholders are `{{NAME}}`),
 * and an empty string in a list (Step Functions payload templates take none). Each names its path.
 */
function definitionProblems(value: unknown, path: string): string[] {
  if (typeof value === 'string')
    return value.includes('${')
      ? [`${path} contains "\${", which CloudFormation's template checks take for a substitution; write placeholders as {{NAME}}`]
      : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) =>
      item === ''
        ? [`${path}[${index}] is an empty string, which a state machine definition cannot carry in a list`]
        : definitionProblems(item, `${path}[${index}]`),
    );
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => definitionProblems(item, path ? `${path}.${key}` : key));
  return [];
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
    problems.push(...definitionProblems(m, '').map((problem) => `${source}: ${problem}`));
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

/** The label that names a ConfigMap as the manifests do, whatever its content-derived name: what the prune step selects on. */
export const CONFIG_NAME_LABEL = 'kubecdn.io/config-name';

/** JSON with object keys sorted at every level: the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** 10 hex characters of sha256 over a ConfigMap's data and binaryData: the suffix of its content-derived name. */
export function configMapContentHash(configMap: KubernetesManifest): string {
  const content = canonicalJson({ data: configMap.data ?? {}, binaryData: configMap.binaryData ?? {} });
  return createHash('sha256').update(content).digest('hex').slice(0, 10);
}

function isConfigMap(manifest: KubernetesManifest): boolean {
  return manifest.apiVersion === 'v1' && manifest.kind === 'ConfigMap';
}

interface ContainerSpec {
  env?: { valueFrom?: { configMapKeyRef?: { name?: string } } }[];
  envFrom?: { configMapRef?: { name?: string } }[];
}

interface PodSpec {
  volumes?: { configMap?: { name?: string }; projected?: { sources?: { configMap?: { name?: string } }[] } }[];
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
}

/** Rewrites, in a copy of a Deployment, every pod-template reference to a ConfigMap that `renamed` knows. */
function withConfigMapNames(deployment: KubernetesManifest, renamed: ReadonlyMap<string, string>): KubernetesManifest {
  const copy = structuredClone(deployment) as KubernetesManifest & { spec?: { template?: { spec?: PodSpec } } };
  const pod = copy.spec?.template?.spec;
  if (!pod) return copy;
  const rename = (ref: { name?: string } | undefined) => {
    if (ref?.name !== undefined && renamed.has(ref.name)) ref.name = renamed.get(ref.name)!;
  };
  for (const volume of pod.volumes ?? []) {
    rename(volume.configMap);
    for (const source of volume.projected?.sources ?? []) rename(source.configMap);
  }
  for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
    for (const env of container.env ?? []) rename(env.valueFrom?.configMapKeyRef);
    for (const from of container.envFrom ?? []) rename(from.configMapRef);
  }
  return copy;
}

/**
 * Names every ConfigMap by its content, `<name>-<10 hex of sha256 over data and binaryData>`
 * (kustomize's configMapGenerator pattern), labels it with its manifest name, and points every
 * Deployment pod-template reference in the same namespace at the new name. A reference to a
 * ConfigMap the manifests do not hold is left alone.
 *
 * Why names rather than a hash annotation on the pod template: a ConfigMap applied in place under
 * a fixed name changes under every pod, old and new. A changed nginx.conf did roll the pods (the
 * annotation changed the template), but a failed sync's restore put back a template that mounted
 * the same, now bad, ConfigMap: pods created later (scale-out, node replacement) read the bad
 * config. With content names a changed config is a new ConfigMap beside the old one, the pod
 * template changes because the name in it does, and a restored template mounts exactly the
 * ConfigMap it mounted before. Old ConfigMaps are deleted by the prune step after a successful
 * start or sync, never on the restore path.
 */
function nameConfigMapsByContent(manifests: readonly KubernetesManifest[]): KubernetesManifest[] {
  const renamed = new Map<string, Map<string, string>>(); // namespace → manifest name → content name
  const named = manifests.map((manifest) => {
    if (!isConfigMap(manifest)) return manifest;
    const namespace = manifest.metadata.namespace ?? 'default';
    const name = `${manifest.metadata.name}-${configMapContentHash(manifest)}`;
    if (!renamed.has(namespace)) renamed.set(namespace, new Map());
    renamed.get(namespace)!.set(manifest.metadata.name, name);
    return {
      ...manifest,
      metadata: { ...manifest.metadata, name, labels: { ...manifest.metadata.labels, [CONFIG_NAME_LABEL]: manifest.metadata.name } },
    };
  });
  return named.map((manifest) => {
    if (manifest.apiVersion !== 'apps/v1' || manifest.kind !== 'Deployment') return manifest;
    const inNamespace = renamed.get(manifest.metadata.namespace ?? 'default');
    return inNamespace ? withConfigMapNames(manifest, inNamespace) : manifest;
  });
}

/**
 * Fills placeholders, labels every object as part of the project, names ConfigMaps by content (and
 * points Deployments at them), and sorts into apply order. `generated`: objects the workflow makes
 * itself (the edge files), labelled and named like the rest but not searched for placeholders:
 * code and binary data are not templates.
 */
export function renderManifests(
  manifests: readonly KubernetesManifest[],
  values: PlaceholderValues,
  partOfLabel: [string, string],
  generated: readonly KubernetesManifest[] = [],
): KubernetesManifest[] {
  const rendered = [...manifests.map((manifest) => substitute(manifest, values) as KubernetesManifest), ...generated].map((filled) => ({
    ...filled,
    metadata: { ...filled.metadata, labels: { ...filled.metadata.labels, [partOfLabel[0]]: partOfLabel[1] } },
  }));
  return nameConfigMapsByContent(rendered).sort((a, b) => (resourceInfo(a)?.order ?? 9) - (resourceInfo(b)?.order ?? 9));
}
