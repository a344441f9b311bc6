import { Annotations, type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { join } from 'node:path';
import { configuredRegions, type KubeCdnConfig } from '../core/config';
import { ControlStack } from './control-stack';
import { DemandStack, demandStackName } from './demand-stack';
import { bundlingFunctionFactory, type FunctionFactory } from './function-factory';
import { controlStackName, kubernetesApiRelayName, networkParameterName, networkStackName, PROJECT_TAG, REGION_TAG } from './naming';
import { RegionNetworkStack } from './network-stack';

export interface KubeCdnStacks {
  readonly control: ControlStack;
  /** Keyed by region code. */
  readonly networks: ReadonlyMap<string, RegionNetworkStack>;
  /** The Route 53 query-log demand producer (us-east-1); absent when the config brings its own metric. */
  readonly demand?: DemandStack;
}

export interface KubeCdnStacksOptions {
  /** How Lambda functions are built; stack tests pass inlineFunctionFactory. Default: bundled with esbuild. */
  readonly functionFactory?: FunctionFactory;
  /** The workload manifests folder; default `config/<workload.manifestsDir>` in this repository. */
  readonly manifestsDir?: string;
}

/**
 * Adds every kubecdn stack for a validated config to the app: the control stack in the home
 * region and one network stack per configured region, all checked by cdk-nag.
 * The account is left to the deploy-time credentials so `cdk synth` needs none.
 */
export function addKubeCdnStacks(app: App, config: KubeCdnConfig, options: KubeCdnStacksOptions = {}): KubeCdnStacks {
  Tags.of(app).add(PROJECT_TAG, config.name);
  const control = new ControlStack(app, controlStackName(config.name), {
    config,
    functionFactory: options.functionFactory,
    manifestsDir: options.manifestsDir ?? join(__dirname, '..', 'config', config.workload.manifestsDir),
    description: `kubecdn control plane for ${config.dns.domainName}: region workflows, autoscaler, operations topic`,
  });
  const networks = new Map<string, RegionNetworkStack>();
  for (const region of configuredRegions(config)) {
    const stack = new RegionNetworkStack(app, networkStackName(config.name, region), {
      region,
      parameterName: networkParameterName(config.name),
      kubernetesApiRelayName: kubernetesApiRelayName(config.name),
      functionFactory: options.functionFactory,
      certificate: {
        domainName: config.dns.domainName,
        alternateNames: config.dns.alternateNames,
        hostedZoneId: config.dns.hostedZoneId,
      },
      existingCertificateArn: config.https.certificateArns[region],
      description: `kubecdn network for the ${region} edge: VPC without NAT, load-balancer subnets, Kubernetes API relay, TLS certificate`,
    });
    Tags.of(stack).add(REGION_TAG, region);
    networks.set(region, stack);
  }
  const demand =
    config.demand.source === 'route53-query-logs'
      ? new DemandStack(app, demandStackName(config.name), {
          config,
          functionFactory: options.functionFactory ?? bundlingFunctionFactory,
          description: `kubecdn demand for ${config.dns.domainName}: Route 53 query logs → queries per minute per nearest region`,
        })
      : undefined;
  if (config.cluster.endpointAccess === 'public') {
    const cidrs = (config.cluster.publicAccessCidrs ?? ['0.0.0.0/0']).join(', ');
    Annotations.of(control).addWarningV2(
      'kubecdn:public-kubernetes-endpoint',
      `cluster.endpointAccess is "public": every region's Kubernetes API endpoint is reachable from ${cidrs} (IAM-authenticated); "private" keeps it inside the region's VPC at no extra cost (README, Kubernetes API endpoint).`,
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { control, networks, demand };
}
