/**
 * The purge companion's place in the edge pod, as the workflow applies it: its container, what it
 * mounts, its identity and the little that identity may do. (What the script does is proven in
 * purge-companion.test.ts, by running it.)
 */
import type { KubernetesManifest } from '../../lambdas/region-ops/kubernetes-manifests';
import { edgePod, purgeCompanionWiring, renderedEdgeManifests, type Container } from './purge-companion-process';

const manifests = renderedEdgeManifests();
const pod = edgePod(manifests);
const purge = pod.containers.find((c) => c.name === 'purge')!;
const nginx = pod.containers.find((c) => c.name === 'nginx')!;
const find = (kind: string, name: string): KubernetesManifest | undefined =>
  manifests.find((m) => m.kind === kind && m.metadata.name === name && m.metadata.namespace === 'kubecdn-edge');
const volumeOf = (container: Container, mountPath: string) => container.volumeMounts?.find((m) => m.mountPath === mountPath)?.name;
const TOKEN_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('the purge companion in the edge pod', () => {
  it('runs the script from its content-named ConfigMap with Node.js 22 from ECR Public, pinned to one release', () => {
    expect(purge.image).toMatch(/^public\.ecr\.aws\/docker\/library\/node:22\.\d+\.\d+-alpine[\d.]*$/);
    const { script } = purgeCompanionWiring(manifests);
    expect(script).toMatch(/^\/\/ The edge's purge companion/);
    // Every placeholder filled (the script itself uses none), and no "${" for CloudFormation to trip on.
    expect(script).not.toContain('{{');
    expect(script).not.toContain('${');
    expect(pod.volumes.find((v) => v.name === volumeOf(purge, '/opt/purge'))?.configMap?.name).toMatch(
      /^edge-purge-companion-[0-9a-f]{10}$/,
    );
  });

  it('runs as nginx does (uid and gid 101), unprivileged, on a read-only root file system, with small requests and limits', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(purge.securityContext).toEqual({
      runAsUser: 101,
      runAsGroup: 101,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(purge.resources).toEqual({ requests: { cpu: '10m', memory: '48Mi' }, limits: { memory: '96Mi' } });
  });

  it('shares the cache volume with nginx at the same path, and knows its pod name', () => {
    expect(volumeOf(purge, '/var/cache/nginx')).toBe('cache');
    expect(volumeOf(nginx, '/var/cache/nginx')).toBe('cache');
    expect(pod.volumes.find((v) => v.name === 'cache')?.emptyDir).toBeDefined();
    expect(purge.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  it("alone holds a Kubernetes API token: the pod's ServiceAccount edge, mounted into its container only", () => {
    expect(pod.serviceAccountName).toBe('edge');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find('ServiceAccount', 'edge')).toMatchObject({ automountServiceAccountToken: false });
    const tokenVolume = volumeOf(purge, TOKEN_DIR);
    const sources = pod.volumes.find((v) => v.name === tokenVolume)?.projected?.sources;
    expect(sources).toEqual([
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ]);
    const mountsOfToken = pod.containers.filter((c) => c.volumeMounts?.some((m) => m.name === tokenVolume)).map((c) => c.name);
    expect(mountsOfToken).toEqual(['purge']);
  });

  it('may read the request and the results and patch the results, nothing else', () => {
    const { rules, namespace } = purgeCompanionWiring(manifests);
    expect(namespace).toBe('kubecdn-edge');
    // The API group is '*' (see 15-edge-purge.yaml): configmaps exist in the core group only.
    const grants = rules.flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.flatMap((verb) => (rule.resourceNames ?? ['<any>']).map((name) => `${verb} ${group}:${resource}/${name}`)),
        ),
      ),
    );
    expect(grants.sort()).toEqual([
      'get *:configmaps/edge-purge',
      'get *:configmaps/edge-purge-results',
      'patch *:configmaps/edge-purge-results',
    ]);
    expect(find('RoleBinding', 'edge-purge')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'edge-purge' },
      subjects: [{ kind: 'ServiceAccount', name: 'edge', namespace: 'kubecdn-edge' }],
    });
  });

  it('leaves the request and results ConfigMaps to the purge workflow: the manifests do not hold them', () => {
    // A manifest ConfigMap is named by its content and pruned by name; the channel needs fixed names.
    const names = manifests.filter((m) => m.kind === 'ConfigMap').map((m) => m.metadata.labels?.['kubecdn.io/config-name']);
    expect(names).not.toContain('edge-purge');
    expect(names).not.toContain('edge-purge-results');
  });
});
