import {
  CONFIG_HASH_ANNOTATION,
  manifestProblems,
  objectPath,
  renderManifests,
  type KubernetesManifest,
} from '../../../lambdas/region-ops/kubernetes-manifests';

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

  describe('the config-hash annotation on Deployment pod templates', () => {
    const deployment: KubernetesManifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'edge', namespace: 'kubecdn-edge' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'edge' }, annotations: { keep: 'me' } }, spec: { containers: [] } } },
    };
    const configMap = (conf: string): KubernetesManifest => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'kubecdn-edge' },
      data: { conf },
    });
    const hashOf = (manifests: KubernetesManifest[], values: Record<string, string> = {}) => {
      const rendered = renderManifests(manifests, values, ['app.kubernetes.io/part-of', 'edge']);
      const template = (
        rendered.find((m) => m.kind === 'Deployment')!.spec as { template: { metadata: { annotations: Record<string, string> } } }
      ).template;
      return template.metadata.annotations;
    };

    it('stamps a short digest of the ConfigMaps beside the template’s own annotations', () => {
      const annotations = hashOf([configMap('a'), deployment]);
      expect(annotations.keep).toBe('me');
      expect(annotations[CONFIG_HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    });

    it('changes when a ConfigMap’s rendered data changes, so the pods roll and read the new config', () => {
      expect(hashOf([configMap('a'), deployment])).not.toEqual(hashOf([configMap('b'), deployment]));
      expect(hashOf([configMap('{{ORIGIN_URL}}'), deployment], { ORIGIN_URL: 'https://one' })).not.toEqual(
        hashOf([configMap('{{ORIGIN_URL}}'), deployment], { ORIGIN_URL: 'https://two' }),
      );
    });

    it('stays the same for the same config, whatever the file order, so a re-apply rolls nothing', () => {
      expect(hashOf([configMap('a'), deployment])).toEqual(hashOf([deployment, configMap('a')]));
    });

    it('does not touch the manifest it was given or objects that are not Deployments', () => {
      const rendered = renderManifests([configMap('a'), deployment], {}, ['app.kubernetes.io/part-of', 'edge']);
      expect((deployment.spec as { template: { metadata: { annotations: object } } }).template.metadata.annotations).toEqual({
        keep: 'me',
      });
      expect(rendered.find((m) => m.kind === 'ConfigMap')!.metadata.annotations).toBeUndefined();
    });
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
