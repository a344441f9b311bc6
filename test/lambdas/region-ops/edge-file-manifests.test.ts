import { createHash, randomBytes } from 'node:crypto';
import {
  AGENT_CONFIGMAP,
  AGENT_KEY,
  ATTRIBUTION_ANNOTATION,
  edgeFileManifests,
  REGION_TABLE_MAX_PARTS,
  REGION_TABLE_PART_BYTES,
  regionTableParts,
  RegionTableTooLargeError,
} from '../../../lambdas/region-ops/edge-file-manifests';
import { CONFIG_NAME_LABEL, renderManifests, type KubernetesManifest } from '../../../lambdas/region-ops/kubernetes-manifests';
import { PART_OF_LABEL } from '../../../lambdas/region-ops/names';

type ConfigMap = KubernetesManifest & { data?: Record<string, string>; binaryData?: Record<string, string> };

const AGENT = "import { createSocket } from 'node:dgram';\n// {{PROJECT}} is text here, not a placeholder\n";
/** A table-sized stream of bytes that do not compress: 2.5 parts. */
const TABLE = randomBytes(REGION_TABLE_PART_BYTES * 2 + REGION_TABLE_PART_BYTES / 2);
const files = { agentSource: AGENT, regionTableGzip: TABLE };

/** A Deployment mounting the edge files as the workload's edge pods do: a projected volume of every part, all optional. */
const deployment: KubernetesManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'edge-nginx', namespace: 'kubecdn-edge' },
  spec: {
    template: {
      spec: {
        containers: [{ name: 'metrics-agent' }],
        volumes: [
          { name: 'agent', configMap: { name: 'edge-metrics-agent' } },
          {
            name: 'region-table',
            projected: {
              sources: Array.from({ length: REGION_TABLE_MAX_PARTS }, (_, i) => ({
                configMap: { name: `edge-region-table-${i}`, optional: true, items: [{ key: 'part', path: `part-${i}` }] },
              })),
            },
          },
        ],
      },
    },
  },
};

describe('the region table in ConfigMap parts', () => {
  it('cuts the gzipped table into parts of at most 640 KiB that join back into it', () => {
    const parts = regionTableParts(TABLE);
    expect(parts.map((p) => p.length)).toEqual([REGION_TABLE_PART_BYTES, REGION_TABLE_PART_BYTES, REGION_TABLE_PART_BYTES / 2]);
    expect(Buffer.concat(parts).equals(TABLE)).toBe(true);
  });

  it.each([
    [1, 1],
    [REGION_TABLE_PART_BYTES, 1],
    [REGION_TABLE_PART_BYTES + 1, 2],
    [REGION_TABLE_PART_BYTES * REGION_TABLE_MAX_PARTS, REGION_TABLE_MAX_PARTS],
  ])('makes a table of %i bytes %i part(s)', (bytes, count) => {
    expect(regionTableParts(Buffer.alloc(bytes))).toHaveLength(count);
  });

  it('refuses a table the pods cannot mount whole, and an empty one', () => {
    expect(() => regionTableParts(Buffer.alloc(REGION_TABLE_PART_BYTES * REGION_TABLE_MAX_PARTS + 1))).toThrow(
      new RegionTableTooLargeError(
        `the gzipped region table is ${REGION_TABLE_PART_BYTES * REGION_TABLE_MAX_PARTS + 1} bytes: 9 parts of 655360, and edge pods mount at most 8`,
      ),
    );
    expect(() => regionTableParts(Buffer.alloc(0))).toThrow(/the region table is empty/);
  });

  it('renders the agent and one ConfigMap per part in the edge namespace, the first one with the hash of the whole table and the part count', () => {
    const [agent, ...parts] = edgeFileManifests(files) as ConfigMap[];
    expect(agent).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: AGENT_CONFIGMAP, namespace: 'kubecdn-edge' },
      data: { [AGENT_KEY]: AGENT },
    });
    for (const part of parts)
      expect(part.metadata.annotations).toEqual({
        [ATTRIBUTION_ANNOTATION]: expect.stringMatching(/^IP geolocation by DB-IP .*CC BY 4\.0/),
      });
    expect(parts.map((p) => [p.apiVersion, p.kind, p.metadata.name, p.metadata.namespace])).toEqual([
      ['v1', 'ConfigMap', 'edge-region-table-0', 'kubecdn-edge'],
      ['v1', 'ConfigMap', 'edge-region-table-1', 'kubecdn-edge'],
      ['v1', 'ConfigMap', 'edge-region-table-2', 'kubecdn-edge'],
    ]);
    expect(parts[0]!.data).toEqual({ sha256: createHash('sha256').update(TABLE).digest('hex'), parts: '3' });
    expect(parts.slice(1).map((p) => p.data)).toEqual([undefined, undefined]);
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.binaryData!.part!, 'base64')));
    expect(joined.equals(TABLE)).toBe(true);
  });

  it('keeps every part ConfigMap well under the 1 MiB Kubernetes allows, binaryData counted as base64', () => {
    for (const part of edgeFileManifests(files).slice(1)) expect(JSON.stringify(part).length).toBeLessThan(900 * 1024);
  });
});

describe('the edge files rendered with the workload', () => {
  const rendered = renderManifests(
    [deployment],
    { PROJECT: 'kubecdn' },
    [PART_OF_LABEL, 'kubecdn'],
    edgeFileManifests(files),
  ) as ConfigMap[];
  const configMaps = rendered.filter((m) => m.kind === 'ConfigMap');

  it('labels them as part of the project and by their manifest name, and names them by content', () => {
    expect(configMaps.map((m) => [m.metadata.name, m.metadata.labels])).toEqual(
      ['edge-metrics-agent', 'edge-region-table-0', 'edge-region-table-1', 'edge-region-table-2'].map((name) => [
        expect.stringMatching(new RegExp(`^${name}-[0-9a-f]{10}$`)),
        { [PART_OF_LABEL]: 'kubecdn', [CONFIG_NAME_LABEL]: name },
      ]),
    );
  });

  it("points the pods' volumes at the content names; parts the table does not have stay optional references to nothing", () => {
    const volumes = rendered.find((m) => m.kind === 'Deployment')!.spec as typeof deployment.spec & object as {
      template: { spec: { volumes: { configMap?: { name: string }; projected?: { sources: { configMap: { name: string } }[] } }[] } };
    };
    const [agent, table] = volumes.template.spec.volumes;
    expect(agent!.configMap!.name).toBe(configMaps[0]!.metadata.name);
    expect(table!.projected!.sources.map((s) => s.configMap.name)).toEqual([
      configMaps[1]!.metadata.name,
      configMaps[2]!.metadata.name,
      configMaps[3]!.metadata.name,
      ...[3, 4, 5, 6, 7].map((i) => `edge-region-table-${i}`),
    ]);
  });

  it("does not fill placeholders in the agent's code: it is code, not a template", () => {
    expect(configMaps[0]!.data![AGENT_KEY]).toBe(AGENT);
  });

  it('applies them before the Deployment that mounts them', () => {
    expect(rendered.map((m) => m.kind)).toEqual(['ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap', 'Deployment']);
  });
});
