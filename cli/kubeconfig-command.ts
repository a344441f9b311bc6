/**
 * `kubecdn kubeconfig <region>`: a kubeconfig for the EKS cluster of a configured region, read from
 * EKS (endpoint and certificate authority), with `aws eks get-token` as its credential, so kubectl
 * uses the operator's own AWS identity. The AWS SDK is loaded at the call (see control-stack-outputs.ts).
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { clusterName } from '../lambdas/region-ops/names';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes';
import type { CommandContext, CommandIo } from './io';
import { configOption, once, outputFile } from './shared-options';
import { checkConfiguredRegion, DEFAULT_CONFIG, loadDeployedConfig } from './workflow-command-options';

interface KubeconfigOptions {
  readonly config: string;
  /** Undefined for standard output: a commander default would count as a first --out for once(). */
  readonly out?: string;
}

export function registerKubeconfig(program: Command, context: CommandContext): void {
  program
    .command('kubeconfig')
    .argument('<region>', 'a region of the config whose cluster runs (serving or warm standby)')
    .summary("print or write a kubeconfig for a region's cluster")
    .description(
      "Reads the region's EKS cluster (<name>-<region>) and writes a kubeconfig for it whose credential is " +
        '`aws eks get-token`, so kubectl acts as your AWS identity, which needs an EKS access entry on the cluster. ' +
        'With endpointAccess "private" (the default) the API answers only inside the region\'s VPC.',
    )
    .addOption(configOption(`the kubecdn config file (regions.json) of the deployment (default: ${DEFAULT_CONFIG})`))
    .addOption(
      new Option(
        '--out <file|->',
        'where to write it (a file of its own: KUBECONFIG=<file> kubectl ...); - for standard output (default)',
      ).argParser(once(outputFile)),
    )
    .action(async (region: string, options: KubeconfigOptions, command: Command) => {
      const config = loadDeployedConfig(options, context.io);
      if (!config) {
        context.exitCode = EXIT_FAILURE;
        return;
      }
      checkConfiguredRegion(command, config, region);
      context.exitCode = await writeKubeconfig(clusterName(config.name, region), region, options.out ?? '-', context.io);
    });
}

async function writeKubeconfig(cluster: string, region: string, out: string, io: CommandIo): Promise<number> {
  const { DescribeClusterCommand, EKSClient } = require('@aws-sdk/client-eks') as typeof import('@aws-sdk/client-eks');
  let described;
  try {
    described = (await new EKSClient({ region }).send(new DescribeClusterCommand({ name: cluster }))).cluster;
  } catch (error) {
    const { name, message } = error as Error;
    io.err(
      name === 'ResourceNotFoundException'
        ? `kubecdn kubeconfig: ${region} has no cluster ${cluster}: the region is stopped (kubecdn start ${region})\n`
        : `kubecdn kubeconfig: cannot read the cluster ${cluster} in ${region}: ${name}: ${message}\n`,
    );
    return EXIT_FAILURE;
  }
  const endpoint = described?.endpoint;
  const certificate = described?.certificateAuthority?.data;
  if (described?.status !== 'ACTIVE' || !endpoint || !certificate) {
    io.err(
      `kubecdn kubeconfig: the cluster ${cluster} in ${region} is ${described?.status ?? 'not ready'}, not ACTIVE; try again once it is\n`,
    );
    return EXIT_FAILURE;
  }
  const { stringify } = require('yaml') as typeof import('yaml');
  const context = `${cluster}.${region}`;
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: endpoint, 'certificate-authority-data': certificate } }],
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--region', region, '--cluster-name', cluster, '--output', 'json'],
            interactiveMode: 'Never',
          },
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
  });
  if (described.resourcesVpcConfig?.endpointPublicAccess === false) {
    io.err(`kubecdn kubeconfig: note: the API endpoint of ${cluster} is private; kubectl reaches it only from inside the region's VPC\n`);
  }
  if (out === '-') io.out(kubeconfig);
  else {
    writeFileSync(out, kubeconfig, { mode: 0o600 });
    io.out(`${out}: context ${context}; use it with KUBECONFIG=${out} kubectl get pods -n kubecdn-edge\n`);
  }
  return EXIT_OK;
}
