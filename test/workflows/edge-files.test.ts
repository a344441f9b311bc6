/**
 * The edge files (the metrics agent's code and the region table) reaching a region's cluster with
 * the workload: StartRegion applies them, and a roll-out after a deploy that changed the region
 * list replaces the table and prunes the previous one.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { regionForAddress } from '../../core/geo/region-table';
import { decodeRegionTable } from '../../core/geo/region-table-codec';
import { edgeAgentSource } from '../../lib/edge-agent-bundle';
import { synthesizeWorkflows, WorkflowHarness } from '../support/asl-runner';
import { validConfig } from '../support/configs';
import { edgeConfigMaps } from '../support/next-workload';
import type { SimCluster } from '../support/simulated-aws/world';
import { scenario } from './scenario';

type ConfigMapObject = ReturnType<typeof edgeConfigMaps> extends Map<string, infer T> ? T & { binaryData?: Record<string, string> } : never;

/** The one version of a content-named edge ConfigMap in the cluster (fails when there are more or none). */
function only(cluster: SimCluster, name: string): ConfigMapObject {
  const versions = [...edgeConfigMaps(cluster, name).values()];
  if (versions.length !== 1)
    throw new Error(`expected one ConfigMap ${name}, found ${versions.map((v) => v.metadata.name).join(', ') || 'none'}`);
  return versions[0]!;
}

/** The table as the agent reads it: the parts joined in order, checked against the hash, gunzipped and decoded. */
function regionTableIn(cluster: SimCluster) {
  const first = only(cluster, 'edge-region-table-0');
  const count = Number(first.data!.parts);
  const parts = Array.from({ length: count }, (_, i) => only(cluster, `edge-region-table-${i}`));
  const gzip = Buffer.concat(parts.map((part) => Buffer.from(part.binaryData!.part!, 'base64')));
  expect(createHash('sha256').update(gzip).digest('hex')).toBe(first.data!.sha256);
  return decodeRegionTable(gunzipSync(gzip));
}

describe('the edge files in every started region', () => {
  it("StartRegion applies the agent's code and the region table for the configured regions, labelled as the project's", async () => {
    // The agent's real bundle, which the other workflow tests replace with a small stand-in.
    const s = scenario();
    const asBuilt = new WorkflowHarness(s.world, s.config, synthesizeWorkflows(s.config, { edgeAgent: 'as-built' }));
    expect((await asBuilt.run('StartRegion', { region: 'eu-west-1' })).status).toBe('SUCCEEDED');
    const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;

    const agent = only(cluster, 'edge-metrics-agent');
    expect(agent.data).toEqual({ 'edge-agent.mjs': edgeAgentSource() });
    expect(agent.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'kubecdn' });
    expect(only(cluster, 'edge-region-table-0').metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'kubecdn' });

    const table = regionTableIn(cluster);
    expect(table.regions).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
    // The fixture databases: Mountain View has only Virginia in this region list; Paris, Dublin.
    expect(regionForAddress(table, '8.8.8.8')).toBe('us-east-1');
    expect(regionForAddress(table, '62.210.0.1')).toBe('eu-west-1');
    expect(regionForAddress(table, '2400:cb01:ffff::1')).toBe('ap-northeast-1');
  });

  it('a roll-out after a deploy that adds a region brings the new table to the serving regions and prunes the previous one', async () => {
    const s = scenario();
    await s.succeed('StartRegion', { region: 'us-east-1' });
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    const cluster = s.world.cluster('us-east-1', 'kubecdn-us-east-1')!;
    const agentBefore = only(cluster, 'edge-metrics-agent').metadata.name;
    const tableBefore = only(cluster, 'edge-region-table-0').metadata.name;

    // The deploy: us-west-2 joins the scalable regions; nothing else changes.
    const wider = validConfig((c) => (c.scalable = [...(c.scalable ?? []), 'us-west-2']));
    const deployed = new WorkflowHarness(s.world, wider, synthesizeWorkflows(wider));
    const run = await deployed.run('RolloutWorkload', { version: 'v2', reason: 'deploy' });
    expect(run.status).toBe('SUCCEEDED');

    for (const region of ['us-east-1', 'eu-west-1']) {
      const table = regionTableIn(s.world.cluster(region, `kubecdn-${region}`)!);
      expect(table.regions).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
      expect(regionForAddress(table, '8.8.8.8')).toBe('us-west-2');
    }
    // A new table ConfigMap replaced the old one (only() fails on two); the agent's is the same object.
    expect(only(cluster, 'edge-region-table-0').metadata.name).not.toBe(tableBefore);
    expect(only(cluster, 'edge-metrics-agent').metadata.name).toBe(agentBefore);
  });
});
