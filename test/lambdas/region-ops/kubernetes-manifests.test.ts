import { manifestProblems, objectPath, renderManifests, type KubernetesManifest } from '../../../lambdas/region-ops/kubernetes-manifests';

const service: KubernetesManifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'edge', namespace: 'kubecdn-edge' },
  spec: { type: 'LoadBalancer', ports: [{ port: '{{SERVICE_PORT}}' }] },
};

describe('workload manifests', () => {
  it('finds the API path of core, grouped and cluster-scoped objects', () => {
    expect(objectPath(service)).toBe('/api/v1/namespaces/kubecdn-edge/services/edge');
    expect(objectPath({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } })).toBe(
      '/apis/apps/v1/namespaces/default/deployments/a',
    );
    expect(objectPath({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } })).toBe('/api/v1/namespaces/n');
    expect(() => objectPath({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toThrow(/unsupported kind v1\/Secret/);
  });

  it('fills placeholders (a lone numeric one becomes a number), leaves unknown ones, labels everything and orders the apply', () => {
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'kubecdn-edge' },
      data: { conf: 'proxy_pass {{ORIGIN_URL}}; {{UNKNOWN}} $host' },
    };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubecdn-edge' } };
    const rendered = renderManifests([service, config, namespace], { SERVICE_PORT: 80, ORIGIN_URL: 'https://o.example.com' }, [
      'app.kubernetes.io/part-of',
      'edge',
    ]);
    expect(rendered.map((m) => m.kind)).toEqual(['Namespace', 'ConfigMap', 'Service']);
    expect((rendered[2]!.spec as { ports: { port: unknown }[] }).ports[0]!.port).toBe(80);
    expect((rendered[1]!.data as { conf: string }).conf).toBe('proxy_pass https://o.example.com; {{UNKNOWN}} $host');
    for (const m of rendered) expect(m.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'edge' });
  });

  it('requires exactly one LoadBalancer Service and known kinds, naming the source', () => {
    expect(manifestProblems([{ source: 'svc.yaml#1', manifest: service }])).toEqual([]);
    expect(manifestProblems([{ source: 'a.yaml#2', manifest: { kind: 'Service' } }])).toEqual([
      'a.yaml#2: expected a Kubernetes object with apiVersion, kind and metadata.name',
      "expected exactly one Service of type LoadBalancer (the region's DNS record points at its load balancer), found 0",
    ]);
    expect(
      manifestProblems([
        { source: 'a', manifest: service },
        { source: 'b', manifest: service },
      ])[0],
    ).toMatch(/found 2/);
  });
});
