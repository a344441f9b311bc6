/**
 * What the workload steps take from the region's network parameter: the certificate and VPC
 * CIDR rendered into the manifests (the config's certificate winning), read once per step, and a
 * clear failure for a parameter an older network stack published.
 */
import type { KubernetesManifest } from '../../../lambdas/region-ops/kubernetes-manifests';
import { runRegionOpsStep } from '../../support/region-ops-steps';
import { scenario, type Scenario } from '../../workflows/scenario';

jest.setTimeout(60_000);

const PARAMETER = 'eu-west-1//kubecdn/network';
const OWN_CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555';

/** A ConfigMap showing the network placeholders as rendered (the step's manifests are its input). */
const probe: KubernetesManifest[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubecdn-edge' } },
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'probe', namespace: 'kubecdn-edge' },
    data: {
      certificate: '{{CERTIFICATE_ARN}}',
      trusted: '{{VPC_CIDR}}',
      policy: '{{TLS_SECURITY_POLICY}}',
      class: '{{LOAD_BALANCER_CLASS}}',
    },
  },
];

async function servingRegion(change?: Parameters<typeof scenario>[0]): Promise<Scenario> {
  const s = scenario(change);
  await s.succeed('StartRegion', { region: 'eu-west-1' });
  return s;
}

function renderedProbe(s: Scenario): Record<string, string> {
  const cluster = s.world.cluster('eu-west-1', 'kubecdn-eu-west-1')!;
  const [probeMap] = [...cluster.objects.entries()].filter(([path]) => /\/configmaps\/probe-[0-9a-f]{10}$/.test(path));
  return probeMap![1].data as Record<string, string>;
}

function publish(s: Scenario, change: (network: Record<string, unknown>) => void): void {
  const network = JSON.parse(s.world.parameters.get(PARAMETER)!) as Record<string, unknown>;
  change(network);
  s.world.parameters.set(PARAMETER, JSON.stringify(network));
}

describe('the network values in the rendered workload', () => {
  it('are the certificate and VPC CIDR the network stack published, read with one GetParameter for the whole step', async () => {
    const s = await servingRegion();
    publish(s, (n) => (n.vpcCidr = '10.99.0.0/16'));
    const from = s.world.calls.length;
    await runRegionOpsStep(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: probe });
    expect(renderedProbe(s)).toEqual({
      certificate: s.world.networks.get('eu-west-1')!.certificateArn,
      trusted: '10.99.0.0/16',
      policy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
      class: 'eks.amazonaws.com/nlb',
    });
    // The private endpoint's relay and the manifests share the one read.
    expect(s.callsSince(from).filter((c) => c === 'ssm:GetParameter')).toHaveLength(1);
  });

  it('use the certificate https.certificateArns names even where the network stack still publishes its own', async () => {
    const s = await servingRegion((c) => (c.https = { certificateArns: { 'eu-west-1': OWN_CERTIFICATE } }));
    publish(s, (n) => (n.certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/99999999-0000-4000-8000-000000000000'));
    await runRegionOpsStep(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: probe });
    expect(renderedProbe(s).certificate).toBe(OWN_CERTIFICATE);
  });

  it('name the AWS Load Balancer Controller class on a managed-nodegroup cluster', async () => {
    const s = scenario((c) => (c.cluster = { mode: 'managed-nodegroup' }));
    // The operator installs the AWS Load Balancer Controller in every new cluster, as this mode needs.
    s.world.loadBalancerControllerInNewClusters = true;
    await s.succeed('StartRegion', { region: 'eu-west-1' });
    await runRegionOpsStep(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: probe });
    expect(renderedProbe(s).class).toBe('service.k8s.aws/nlb');
  });

  it('are never rendered from a parameter without a certificate: the step fails saying what is missing and what to do', async () => {
    const s = await servingRegion();
    publish(s, (n) => delete n.certificateArn);
    await expect(runRegionOpsStep(s, { step: 'applyWorkload', region: 'eu-west-1', manifests: probe })).rejects.toThrow(
      /^\/kubecdn\/network in eu-west-1 is not what this version's network stack publishes \(\$\.certificateArn: expected the ACM certificate ARN of the load balancer\); deploy the app again \(cdk deploy\)$/,
    );
  });

  it('refuse a published certificate of another region, which the load balancer could not use', async () => {
    const s = await servingRegion();
    publish(s, (n) => (n.certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/99999999-0000-4000-8000-000000000000'));
    await expect(runRegionOpsStep(s, { step: 'workloadRollout', region: 'eu-west-1', manifests: probe })).rejects.toThrow(
      /names a certificate in us-east-1 .*; a load balancer in eu-west-1 needs one of its own region/,
    );
  });
});
