import {
  CONFIG_NAME_LABEL,
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

  it('finds the API path of RBAC Roles and RoleBindings, and refuses a ClusterRole', () => {
    const rbac = (kind: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: 'p', namespace: 'kubecdn-edge' },
    });
    expect(objectPath(rbac('Role'))).toBe('/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/roles/p');
    expect(objectPath(rbac('RoleBinding'))).toBe('/apis/rbac.authorization.k8s.io/v1/namespaces/kubecdn-edge/rolebindings/p');
    // Cluster-wide rights are not something an edge workload gets from the workflow.
    expect(() => objectPath(rbac('ClusterRole'))).toThrow(/unsupported kind rbac.authorization.k8s.io\/v1\/ClusterRole/);
    expect(
      manifestProblems([
        { source: 'svc', manifest: service },
        { source: 'role.yaml#1', manifest: rbac('Role') },
      ]),
    ).toEqual([]);
    expect(
      manifestProblems([
        { source: 'svc', manifest: service },
        { source: 'b.yaml#1', manifest: { ...rbac('Role'), apiVersion: 'rbac.authorization.k8s.io/v1beta1' } },
      ]),
    ).toEqual([
      expect.stringMatching(
        /^b.yaml#1: rbac.authorization.k8s.io\/v1beta1\/Role is not supported; expected one of .*rbac.authorization.k8s.io\/v1\/RoleBinding/,
      ),
    ]);
  });

  it('applies Roles and RoleBindings after the namespace and before the Deployment whose pods use them', () => {
    const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'kubecdn-edge' } });
    const rendered = renderManifests(
      [
        object('apps/v1', 'Deployment'),
        object('rbac.authorization.k8s.io/v1', 'RoleBinding'),
        object('rbac.authorization.k8s.io/v1', 'Role'),
        object('v1', 'ServiceAccount'),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubecdn-edge' } },
      ],
      {},
      ['app.kubernetes.io/part-of', 'edge'],
    );
    const kinds = rendered.map((m) => m.kind);
    expect(kinds[0]).toBe('Namespace');
    expect(kinds.at(-1)).toBe('Deployment');
    expect(kinds.slice(1, 4).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
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
    for (const m of rendered) expect(m.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'edge' });
  });

  describe('ConfigMaps named by content, and the references to them', () => {
    const PART_OF: [string, string] = ['app.kubernetes.io/part-of', 'edge'];
    const configMap = (conf: string, name = 'c', namespace = 'kubecdn-edge'): KubernetesManifest => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace },
      data: { conf },
    });
    /** A Deployment that refers to ConfigMap `ref` in every way a pod template can, plus `other`, which the manifests do not hold. */
    const deployment = (ref = 'c', namespace = 'kubecdn-edge'): KubernetesManifest => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'edge', namespace },
      spec: {
        replicas: 2,
        template: {
          metadata: { labels: { app: 'edge' }, annotations: { keep: 'me' } },
          spec: {
            volumes: [
              { name: 'config', configMap: { name: ref } },
              { name: 'projected', projected: { sources: [{ configMap: { name: ref } }, { configMap: { name: 'other' } }] } },
              { name: 'other', configMap: { name: 'other' } },
              { name: 'tmp', emptyDir: {} },
            ],
            initContainers: [{ name: 'init', image: 'i', envFrom: [{ configMapRef: { name: ref } }] }],
            containers: [
              {
                name: 'nginx',
                image: 'n',
                env: [
                  { name: 'A', valueFrom: { configMapKeyRef: { name: ref, key: 'conf' } } },
                  { name: 'B', valueFrom: { configMapKeyRef: { name: 'other', key: 'x' } } },
                  { name: 'C', value: 'plain' },
                ],
                envFrom: [{ configMapRef: { name: ref } }, { configMapRef: { name: 'other' } }],
              },
            ],
          },
        },
      },
    });
    const render = (manifests: KubernetesManifest[], values: Record<string, string> = {}) => renderManifests(manifests, values, PART_OF);
    const configMapOf = (rendered: KubernetesManifest[]) => rendered.find((m) => m.kind === 'ConfigMap')!;
    type Pod = {
      volumes: { configMap?: { name: string }; projected?: { sources: { configMap: { name: string } }[] } }[];
      initContainers: { envFrom: { configMapRef: { name: string } }[] }[];
      containers: { env: { valueFrom?: { configMapKeyRef: { name: string } } }[]; envFrom: { configMapRef: { name: string } }[] }[];
    };
    const podOf = (rendered: KubernetesManifest[]) =>
      (rendered.find((m) => m.kind === 'Deployment')!.spec as { template: { metadata: { annotations: object }; spec: Pod } }).template;

    it('names a ConfigMap <name>-<10 hex of its content> and labels it with its manifest name and the project', () => {
      const rendered = configMapOf(render([configMap('a')]));
      expect(rendered.metadata.name).toMatch(/^c-[0-9a-f]{10}$/);
      expect(rendered.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'edge', [CONFIG_NAME_LABEL]: 'c' });
      expect(rendered.data).toEqual({ conf: 'a' });
    });

    it('gives the same content the same name, whatever the file order or key order, and other content another name', () => {
      const name = (manifests: KubernetesManifest[], values?: Record<string, string>) =>
        configMapOf(render(manifests, values)).metadata.name;
      expect(name([configMap('a'), deployment()])).toBe(name([deployment(), configMap('a')]));
      const twoKeys = (data: Record<string, string>) => [{ ...configMap('a'), data }];
      expect(name(twoKeys({ x: '1', y: '2' }))).toBe(name(twoKeys({ y: '2', x: '1' })));
      expect(name([configMap('a')])).not.toBe(name([configMap('b')]));
      expect(name([{ ...configMap('a'), binaryData: { bin: 'AA==' } }])).not.toBe(name([configMap('a')]));
      // Placeholders are filled first: a per-region value is part of the content.
      expect(name([configMap('{{ORIGIN_URL}}')], { ORIGIN_URL: 'https://one' })).not.toBe(
        name([configMap('{{ORIGIN_URL}}')], { ORIGIN_URL: 'https://two' }),
      );
    });

    it('points every kind of pod-template reference at the new name, and no longer stamps a config-hash annotation', () => {
      const rendered = render([configMap('a'), deployment()]);
      const name = configMapOf(rendered).metadata.name;
      const template = podOf(rendered);
      expect(template.metadata.annotations).toEqual({ keep: 'me' });
      expect(template.spec.volumes[0]!.configMap!.name).toBe(name);
      expect(template.spec.volumes[1]!.projected!.sources[0]!.configMap.name).toBe(name);
      expect(template.spec.initContainers[0]!.envFrom[0]!.configMapRef.name).toBe(name);
      expect(template.spec.containers[0]!.env[0]!.valueFrom!.configMapKeyRef.name).toBe(name);
      expect(template.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe(name);
    });

    it('leaves references to ConfigMaps the manifests do not hold alone', () => {
      const template = podOf(render([configMap('a'), deployment()]));
      expect(template.spec.volumes[1]!.projected!.sources[1]!.configMap.name).toBe('other');
      expect(template.spec.volumes[2]!.configMap!.name).toBe('other');
      expect(template.spec.containers[0]!.env[1]!.valueFrom!.configMapKeyRef.name).toBe('other');
      expect(template.spec.containers[0]!.envFrom[1]!.configMapRef.name).toBe('other');
    });

    it('does not rewrite a reference from a Deployment in another namespace', () => {
      const template = podOf(render([configMap('a'), deployment('c', 'elsewhere')]));
      expect(template.spec.volumes[0]!.configMap!.name).toBe('c');
      expect(template.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe('c');
      // A ConfigMap without a namespace lives in "default", and so does a Deployment without one.
      const defaults = render([
        { ...configMap('a'), metadata: { name: 'c' } },
        { ...deployment(), metadata: { name: 'edge' } },
      ]);
      expect(podOf(defaults).spec.volumes[0]!.configMap!.name).toBe(configMapOf(defaults).metadata.name);
    });

    it('changes the pod template when the content changes, so the pods roll and read the new config', () => {
      expect(podOf(render([configMap('a'), deployment()]))).not.toEqual(podOf(render([configMap('b'), deployment()])));
      expect(podOf(render([configMap('a'), deployment()]))).toEqual(podOf(render([deployment(), configMap('a')])));
    });

    it('does not touch the manifests it was given', () => {
      const given = [configMap('a'), deployment()];
      const before = structuredClone(given);
      render(given);
      expect(given).toEqual(before);
    });
  });

  it('refuses values a state machine definition cannot carry, naming the source and the path', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { 'run.mjs': 'console.log(`${process.pid}`)', 'ok.conf': 'proxy_pass {{ORIGIN_URL}}; $host' },
    };
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    };
    expect(
      manifestProblems([
        { source: 'svc', manifest: service },
        { source: 'c.yaml#1', manifest: configMap },
        { source: 'r.yaml#2', manifest: role },
      ]),
    ).toEqual([
      'c.yaml#1: data.run.mjs contains "${", which CloudFormation\'s template checks take for a substitution; write placeholders as {{NAME}}',
      'r.yaml#2: rules[0].apiGroups[0] is an empty string, which a state machine definition cannot carry in a list',
    ]);
    // An empty string outside a list is fine.
    expect(
      manifestProblems([{ source: 'svc', manifest: { ...service, metadata: { ...service.metadata, annotations: { a: '' } } } }]),
    ).toEqual([]);
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
