/**
 * Routes every AWS SDK call the region-ops code makes to the simulated AWS, keyed by command
 * class (so a command the simulation does not know fails loudly instead of returning nothing),
 * in the region the client was created for.
 */
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DisassociateAccessPolicyCommand,
  ListAccessEntriesCommand,
  ListAssociatedAccessPoliciesCommand,
  CreateAddonCommand,
  CreatePodIdentityAssociationCommand,
  DeleteAddonCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InvalidParameterException,
  InvalidRequestException,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
  DescribeUpdateCommand,
  DescribeAddonVersionsCommand,
  UpdateAddonCommand,
} from '@aws-sdk/client-eks';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvokeCommand, LambdaClient, ResourceNotFoundException as LambdaResourceNotFound } from '@aws-sdk/client-lambda';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  HealthCheckAlreadyExists,
  HealthCheckInUse,
  InvalidChangeBatch,
  ListHealthChecksCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourcesCommand,
  NoSuchChange,
  NoSuchHealthCheck,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { workloadServing } from './deployments';
import { installLoadBalancerController } from './load-balancer-controller';
import {
  ACCOUNT_ID,
  addonVersionsFor,
  type SimCluster,
  type SimClusterVpcConfig,
  type SimVersionUpdate,
  type SimPodIdentityAssociation,
  type SimHealthCheck,
  type SimRecord,
  type SimStack,
  type SimulatedAws,
} from './world';

type CommandClass = new (input: never) => { input: unknown; schema?: unknown };
type Fake = (input: never, region: string) => unknown;

const meta = { $metadata: {} };
const NLB_ZONE_IDS: Record<string, string> = { 'us-east-1': 'Z26RNL4JYFTOTI', 'eu-west-1': 'Z2IFOLAFXWLO4F' };
/** The regions Route 53 health checkers run in by default; each reports its own observation. */
export const HEALTH_CHECKER_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;

/** Route 53's HTTPS checkers speak TLS 1.0 to 1.2 (API reference, HealthCheckConfig Type): a TLS 1.3-only listener refuses them. */
const TLS13_ONLY_POLICIES: ReadonlySet<string> = new Set(['ELBSecurityPolicy-TLS13-1-3-2021-06']);

/**
 * What a checker sees when it requests the check's target: a live load balancer with a listener
 * on the check's port that speaks the check's protocol, in front of a cluster whose workload has a
 * ready pod, answers 200, unless the region is faulted; anything else fails, with the message
 * Route 53 would give. undefined: success.
 */
export function healthCheckFailure(world: SimulatedAws, check: SimHealthCheck): string | undefined {
  const target = check.config.FullyQualifiedDomainName;
  const lb = world.liveLoadBalancers().find((l) => l.dnsName === target);
  if (!lb || world.loadBalancerState(lb) !== 'active') return 'Failure: DNS resolution failed or the connection timed out.';
  const https = String(check.config.Type).startsWith('HTTPS');
  const port = (check.config.Port as number | undefined) ?? (https ? 443 : 80);
  const listener = lb.listeners.find((l) => l.port === port);
  if (!listener) return `Failure: Connection timed out. The load balancer has no listener on port ${port}.`;
  if (https && listener.protocol !== 'TLS') return 'Failure: SSL alert handshake_failure. The endpoint does not speak TLS on this port.';
  if (!https && listener.protocol === 'TLS') return 'Failure: The connection was closed by the endpoint (it expects a TLS handshake).';
  if (https && TLS13_ONLY_POLICIES.has(listener.sslPolicy ?? ''))
    return 'Failure: SSL alert protocol_version. The endpoint accepts TLS 1.3 only.';
  const cluster = world.cluster(lb.region, lb.owner.cluster);
  if (!cluster || world.clusterStatus(cluster) !== 'ACTIVE') return 'Failure: Connection refused.';
  if (world.unhealthyRegions.has(lb.region)) return 'Failure: HTTP Status Code 502, Bad Gateway.';
  if (!workloadServing(world, cluster)) return 'Failure: Connection refused. The load balancer has no healthy targets.';
  return undefined;
}

export interface InstalledMocks {
  restore(): void;
}

export function installSimulatedAws(world: SimulatedAws): InstalledMocks {
  const mocks: { restore(): void }[] = [];
  // One fake per client that looks the command's class up in a map: aws-sdk-client-mock's `.on()`
  // makes Sinon compare every call with every registered command (a deep comparison each), which
  // was a sixth of a workflow test's time.
  const routes = new Map<ReturnType<typeof mockClient>, Map<CommandClass, { service: string; fake: Fake }>>();
  const route = <C extends CommandClass>(stub: ReturnType<typeof mockClient>, service: string, command: C, fake: Fake) => {
    routes.get(stub)!.set(command, { service, fake });
  };
  const strict = (stub: ReturnType<typeof mockClient>, service: string) => {
    const commands = new Map<CommandClass, { service: string; fake: Fake }>();
    routes.set(stub, commands);
    stub.send.callsFake(async function (this: { config: { region: () => Promise<string> } }, sent: { input: unknown }) {
      const command = sent.constructor as CommandClass;
      const known = commands.get(command);
      if (!known) throw new Error(`the simulated ${service} does not implement this command (input ${JSON.stringify(sent.input)})`);
      const region = await this.config.region();
      world.enter(known.service, command.name.replace(/Command$/, ''), region, new command(sent.input as never));
      await world.holdCall?.(world.calls.at(-1)!);
      return known.fake(sent.input as never, region);
    } as never);
  };

  // ---- EKS ----
  const eks = mockClient(EKSClient);
  mocks.push(eks);
  strict(eks, 'EKS');
  const mustCluster = (region: string, name: string): SimCluster => {
    const cluster = world.cluster(region, name);
    if (!cluster) throw new ResourceNotFoundException({ ...meta, message: `No cluster found for name: ${name}.` });
    return cluster;
  };
  const describe = (cluster: SimCluster) => ({
    name: cluster.name,
    arn: cluster.arn,
    status: world.reportedClusterStatus(cluster),
    version: cluster.version,
    resourcesVpcConfig: {
      ...structuredClone(cluster.vpcConfig),
      vpcId: world.networks.get(cluster.region)?.vpcId,
      clusterSecurityGroupId: `sg-0eks${cluster.name.replace(/-/g, '')}`,
    },
    endpoint: world.clusterStatus(cluster) === 'ACTIVE' ? cluster.endpoint : undefined,
    certificateAuthority:
      world.clusterStatus(cluster) === 'ACTIVE'
        ? { data: Buffer.from('-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n').toString('base64') }
        : undefined,
    tags: cluster.tags,
  });
  route(eks, 'eks', DescribeClusterCommand, (input: { name: string }, region) => ({
    ...meta,
    cluster: describe(mustCluster(region, input.name)),
  }));
  /** Security groups EKS would find in the region: the network stack's; anything else is refused as EKS refuses an unknown group. */
  const unknownSecurityGroups = (region: string, ids: readonly string[]) => {
    const network = world.networks.get(region);
    return ids.filter((id) => !network || ![network.kubernetesApiAccessSecurityGroupId, network.relay.securityGroupId].includes(id));
  };
  type VpcConfigInput = Partial<SimClusterVpcConfig>;
  route(
    eks,
    'eks',
    CreateClusterCommand,
    (input: { name: string; clientRequestToken?: string; tags?: Record<string, string>; resourcesVpcConfig?: VpcConfigInput }, region) => {
      const tokenKey = input.clientRequestToken ? `${region}/${input.clientRequestToken}` : undefined;
      if (tokenKey && world.createTokens.has(tokenKey)) {
        // EKS answers a repeated token with the original request's result, even if that cluster is gone since.
        const original = world.clusters.get(world.createTokens.get(tokenKey)!);
        return { ...meta, cluster: original ? describe(original) : { name: input.name, status: 'CREATING' } };
      }
      if (world.cluster(region, input.name))
        throw new ResourceInUseException({ ...meta, message: `Cluster already exists with name: ${input.name}` });
      const requested = input.resourcesVpcConfig ?? {};
      const unknown = unknownSecurityGroups(region, requested.securityGroupIds ?? []);
      if (unknown.length > 0)
        throw new InvalidParameterException({ ...meta, message: `Security group(s) [${unknown.join(', ')}] do not exist` });
      // EKS's defaults: a public endpoint open to anyone, no private access.
      const publicAccess = requested.endpointPublicAccess ?? true;
      const vpcConfig: SimClusterVpcConfig = {
        subnetIds: [...(requested.subnetIds ?? [])],
        securityGroupIds: [...(requested.securityGroupIds ?? [])],
        endpointPublicAccess: publicAccess,
        endpointPrivateAccess: requested.endpointPrivateAccess ?? false,
        publicAccessCidrs: publicAccess ? [...(requested.publicAccessCidrs ?? ['0.0.0.0/0'])] : [],
      };
      if (!vpcConfig.endpointPublicAccess && !vpcConfig.endpointPrivateAccess)
        throw new InvalidParameterException({ ...meta, message: 'At least one of public or private endpoint access must be enabled' });
      const id = world.nextId('', 32).toUpperCase();
      const cluster: SimCluster = {
        name: input.name,
        region,
        arn: `arn:aws:eks:${region}:${ACCOUNT_ID}:cluster/${input.name}`,
        input: input as unknown as Record<string, unknown>,
        createdAt: world.now,
        failsCreation: world.failNextClusterCreation,
        endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
        vpcConfig,
        // EKS's default is its newest version; kubecdn always names one.
        version: (input as { version?: string }).version ?? '1.35',
        updates: new Map(),
        tags: input.tags ?? {},
        accessEntries: new Map(),
        nodegroups: new Map(),
        podIdentityAssociations: new Map(),
        addons: new Map(),
        objects: new Map(),
      };
      world.failNextClusterCreation = false;
      world.clusters.set(`${region}/${input.name}`, cluster);
      if (world.loadBalancerControllerInNewClusters) installLoadBalancerController(world, cluster);
      if (tokenKey) world.createTokens.set(tokenKey, `${region}/${input.name}`);
      return { ...meta, cluster: describe(cluster) };
    },
  );
  route(eks, 'eks', UpdateClusterConfigCommand, (input: { name: string; resourcesVpcConfig?: VpcConfigInput }, region) => {
    const cluster = mustCluster(region, input.name);
    if (world.clusterStatus(cluster) !== 'ACTIVE' || cluster.pendingUpdate || cluster.versionUpdate)
      throw new ResourceInUseException({ ...meta, message: `Cluster ${input.name} has an update in progress or is not ACTIVE` });
    const requested = input.resourcesVpcConfig ?? {};
    const networkChange = requested.subnetIds !== undefined || requested.securityGroupIds !== undefined;
    const endpointChange =
      requested.endpointPublicAccess !== undefined ||
      requested.endpointPrivateAccess !== undefined ||
      requested.publicAccessCidrs !== undefined;
    // EKS runs a VpcConfigUpdate (subnets, security groups) and an EndpointAccessUpdate as separate updates.
    if (networkChange && endpointChange)
      throw new InvalidParameterException({
        ...meta,
        message: 'Subnets or security groups and endpoint access cannot be updated together',
      });
    if (!networkChange && !endpointChange) throw new InvalidParameterException({ ...meta, message: 'No changes needed' });
    const unknown = unknownSecurityGroups(region, requested.securityGroupIds ?? []);
    if (unknown.length > 0)
      throw new InvalidParameterException({ ...meta, message: `Security group(s) [${unknown.join(', ')}] do not exist` });
    const next = { ...cluster.vpcConfig, ...requested };
    if (!next.endpointPublicAccess && !next.endpointPrivateAccess)
      throw new InvalidParameterException({ ...meta, message: 'At least one of public or private endpoint access must be enabled' });
    const change: Partial<SimClusterVpcConfig> = { ...requested };
    if (endpointChange)
      Object.assign(change, { publicAccessCidrs: next.endpointPublicAccess ? [...(requested.publicAccessCidrs ?? ['0.0.0.0/0'])] : [] });
    cluster.pendingUpdate = { requestedAt: world.now, vpcConfig: change };
    return {
      ...meta,
      update: { id: world.nextId('', 8), status: 'InProgress', type: networkChange ? 'VpcConfigUpdate' : 'EndpointAccessUpdate' },
    };
  });
  // Version updates as EKS makes them: one update of a cluster at a time (ResourceInUseException
  // otherwise), a control plane only to the next minor (no skip, no downgrade), node groups at most
  // to the control plane's version; DescribeUpdate reports each, Failed ones with an error.
  const minor = (version: string) => Number(version.split('.')[1]);
  const versionUpdate = (cluster: SimCluster, from: string, to: string, nodegroup?: string) => {
    const update = {
      id: `${world.nextId('', 8)}-0000-4000-8000-${world.nextId('', 12)}`,
      type: 'VersionUpdate' as const,
      ...(nodegroup ? { nodegroup } : {}),
      from,
      to,
      requestedAt: world.now,
      fails: world.failingVersionUpdates.has(cluster.region),
    };
    cluster.updates.set(update.id, update);
    return update;
  };
  const describeUpdate = (update: SimVersionUpdate) => {
    const status = world.updateStatus(update);
    return {
      id: update.id,
      status,
      type: update.type,
      params: [{ type: 'Version' as const, value: update.to }],
      createdAt: new Date(update.requestedAt),
      errors:
        status === 'Failed'
          ? [
              {
                errorCode: update.nodegroup ? ('NodeCreationFailure' as const) : ('Unknown' as const),
                errorMessage: `simulated failure of the update to ${update.to}`,
              },
            ]
          : [],
    };
  };
  route(eks, 'eks', UpdateClusterVersionCommand, (input: { name: string; version: string }, region) => {
    const cluster = mustCluster(region, input.name);
    if (world.clusterStatus(cluster) !== 'ACTIVE' || cluster.pendingUpdate || cluster.versionUpdate)
      throw new ResourceInUseException({ ...meta, message: `Cluster ${input.name} has an update in progress or is not ACTIVE` });
    if (minor(input.version) !== minor(cluster.version) + 1)
      throw new InvalidParameterException({
        ...meta,
        message: `Unsupported Kubernetes minor version update from ${cluster.version} to ${input.version}`,
      });
    cluster.versionUpdate = versionUpdate(cluster, cluster.version, input.version);
    return { ...meta, update: describeUpdate(cluster.versionUpdate) };
  });
  route(eks, 'eks', UpdateNodegroupVersionCommand, (input: { clusterName: string; nodegroupName: string; version?: string }, region) => {
    const cluster = mustCluster(region, input.clusterName);
    const group = world.nodegroups(cluster).find((g) => g.name === input.nodegroupName);
    if (!group) throw new ResourceNotFoundException({ ...meta, message: `No node group found for name: ${input.nodegroupName}.` });
    if (world.nodegroupStatus(group) !== 'ACTIVE')
      throw new ResourceInUseException({ ...meta, message: `Nodegroup is ${world.nodegroupStatus(group)}` });
    const to = input.version ?? cluster.version;
    if (minor(to) > minor(cluster.version) || minor(to) < minor(group.version))
      throw new InvalidParameterException({
        ...meta,
        message: `Requested Kubernetes version ${to} is not valid for a node group at ${group.version} in a cluster at ${cluster.version}`,
      });
    group.versionUpdate = versionUpdate(cluster, group.version, to, group.name);
    return { ...meta, update: describeUpdate(group.versionUpdate) };
  });
  route(eks, 'eks', DescribeUpdateCommand, (input: { name: string; updateId: string; nodegroupName?: string }, region) => {
    const update = mustCluster(region, input.name).updates.get(input.updateId);
    if (!update || update.nodegroup !== input.nodegroupName)
      throw new ResourceNotFoundException({ ...meta, message: `No update found for ID: ${input.updateId}` });
    return { ...meta, update: describeUpdate(update) };
  });
  route(eks, 'eks', DeleteClusterCommand, (input: { name: string }, region) => {
    const cluster = mustCluster(region, input.name);
    const status = world.clusterStatus(cluster);
    if (status === 'CREATING') throw new ResourceInUseException({ ...meta, message: `Cluster ${input.name} is currently being created` });
    if (world.nodegroups(cluster).length > 0) throw new ResourceInUseException({ ...meta, message: `Cluster has nodegroups attached` });
    cluster.deleteRequestedAt ??= world.now;
    return { ...meta, cluster: describe(cluster) };
  });
  // Access entries, with EKS's errors: a second create of one principal is ResourceInUse, an entry
  // or association that is not there is ResourceNotFound. Calls to an entry record its tags for IAM.
  const mustEntry = (region: string, clusterName: string, principalArn: string) => {
    const entry = mustCluster(region, clusterName).accessEntries.get(principalArn);
    if (!entry) throw new ResourceNotFoundException({ ...meta, message: 'The specified principalArn could not be found.' });
    world.calls.at(-1)!.resourceTags = { ...(entry.tags ?? {}) };
    return entry;
  };
  const entryArn = (cluster: SimCluster, principalArn: string) =>
    `arn:aws:eks:${cluster.region}:${ACCOUNT_ID}:access-entry/${cluster.name}/role/${principalArn.split(':')[4]}/${principalArn.split('/').at(-1)}/0000`;
  route(
    eks,
    'eks',
    CreateAccessEntryCommand,
    (input: { clusterName: string; principalArn: string; tags?: Record<string, string> }, region) => {
      const cluster = mustCluster(region, input.clusterName);
      if (world.clusterStatus(cluster) !== 'ACTIVE') throw new InvalidRequestException({ ...meta, message: 'cluster is not ACTIVE' });
      if (cluster.accessEntries.has(input.principalArn))
        throw new ResourceInUseException({ ...meta, message: 'The specified access entry resource is already in use on this cluster.' });
      cluster.accessEntries.set(input.principalArn, { policies: new Set(), ...(input.tags ? { tags: { ...input.tags } } : {}) });
      return { ...meta, accessEntry: { clusterName: cluster.name, principalArn: input.principalArn } };
    },
  );
  route(eks, 'eks', AssociateAccessPolicyCommand, (input: { clusterName: string; principalArn: string; policyArn: string }, region) => {
    mustEntry(region, input.clusterName, input.principalArn).policies.add(input.policyArn);
    return { ...meta, clusterName: input.clusterName, principalArn: input.principalArn };
  });
  route(eks, 'eks', ListAccessEntriesCommand, (input: { clusterName: string }, region) => ({
    ...meta,
    accessEntries: [...mustCluster(region, input.clusterName).accessEntries.keys()],
  }));
  route(eks, 'eks', DescribeAccessEntryCommand, (input: { clusterName: string; principalArn: string }, region) => {
    const cluster = mustCluster(region, input.clusterName);
    const entry = mustEntry(region, input.clusterName, input.principalArn);
    return {
      ...meta,
      accessEntry: {
        clusterName: cluster.name,
        principalArn: input.principalArn,
        accessEntryArn: entryArn(cluster, input.principalArn),
        type: 'STANDARD',
        tags: { ...(entry.tags ?? {}) },
      },
    };
  });
  route(eks, 'eks', ListAssociatedAccessPoliciesCommand, (input: { clusterName: string; principalArn: string }, region) => ({
    ...meta,
    clusterName: input.clusterName,
    principalArn: input.principalArn,
    associatedAccessPolicies: [...mustEntry(region, input.clusterName, input.principalArn).policies].map((policyArn) => ({
      policyArn,
      accessScope: { type: 'cluster' },
    })),
  }));
  route(eks, 'eks', DisassociateAccessPolicyCommand, (input: { clusterName: string; principalArn: string; policyArn: string }, region) => {
    const entry = mustEntry(region, input.clusterName, input.principalArn);
    if (!entry.policies.delete(input.policyArn))
      throw new ResourceNotFoundException({
        ...meta,
        message: `The specified policy ${input.policyArn} is not associated with the access entry.`,
      });
    return meta;
  });
  route(eks, 'eks', DeleteAccessEntryCommand, (input: { clusterName: string; principalArn: string }, region) => {
    mustEntry(region, input.clusterName, input.principalArn);
    mustCluster(region, input.clusterName).accessEntries.delete(input.principalArn);
    return meta;
  });
  route(eks, 'eks', ListNodegroupsCommand, (input: { clusterName: string }, region) => ({
    ...meta,
    nodegroups: world.nodegroups(mustCluster(region, input.clusterName)).map((g) => g.name),
  }));
  route(
    eks,
    'eks',
    CreateNodegroupCommand,
    (input: { clusterName: string; nodegroupName: string; tags?: Record<string, string> }, region) => {
      const cluster = mustCluster(region, input.clusterName);
      if (world.clusterStatus(cluster) !== 'ACTIVE') throw new InvalidRequestException({ ...meta, message: 'cluster is not ACTIVE' });
      if (world.nodegroups(cluster).some((g) => g.name === input.nodegroupName))
        throw new ResourceInUseException({ ...meta, message: 'NodeGroup already exists' });
      cluster.nodegroups.set(input.nodegroupName, {
        name: input.nodegroupName,
        arn: `arn:aws:eks:${region}:${ACCOUNT_ID}:nodegroup/${cluster.name}/${input.nodegroupName}/${world.nextId('', 8)}`,
        input: input as unknown as Record<string, unknown>,
        createdAt: world.now,
        tags: input.tags ?? {},
        version: (input as { version?: string }).version ?? cluster.version,
        scaling: { ...(input as unknown as { scalingConfig: { minSize: number; desiredSize: number; maxSize: number } }).scalingConfig },
      });
      return { ...meta, nodegroup: { nodegroupName: input.nodegroupName, status: 'CREATING' } };
    },
  );
  route(eks, 'eks', DescribeNodegroupCommand, (input: { clusterName: string; nodegroupName: string }, region) => {
    const group = world.nodegroups(mustCluster(region, input.clusterName)).find((g) => g.name === input.nodegroupName);
    if (!group) throw new ResourceNotFoundException({ ...meta, message: `No node group found for name: ${input.nodegroupName}.` });
    return {
      ...meta,
      nodegroup: {
        nodegroupName: group.name,
        status: world.nodegroupStatus(group),
        version: group.version,
        scalingConfig: { ...group.scaling },
      },
    };
  });
  route(
    eks,
    'eks',
    UpdateNodegroupConfigCommand,
    (
      input: { clusterName: string; nodegroupName: string; scalingConfig?: { minSize: number; desiredSize: number; maxSize: number } },
      region,
    ) => {
      const group = world.nodegroups(mustCluster(region, input.clusterName)).find((g) => g.name === input.nodegroupName);
      if (!group) throw new ResourceNotFoundException({ ...meta, message: `No node group found for name: ${input.nodegroupName}.` });
      if (world.nodegroupStatus(group) !== 'ACTIVE')
        throw new ResourceInUseException({ ...meta, message: `Nodegroup is ${world.nodegroupStatus(group)}` });
      if (input.scalingConfig) group.scaling = { ...input.scalingConfig };
      group.updatedAt = world.now;
      return { ...meta, update: { id: world.nextId('', 8), status: 'InProgress', type: 'ConfigUpdate' } };
    },
  );
  route(eks, 'eks', DeleteNodegroupCommand, (input: { clusterName: string; nodegroupName: string }, region) => {
    const group = world.nodegroups(mustCluster(region, input.clusterName)).find((g) => g.name === input.nodegroupName);
    if (!group) throw new ResourceNotFoundException({ ...meta, message: `No node group found for name: ${input.nodegroupName}.` });
    if (group.deleteRequestedAt !== undefined) throw new ResourceInUseException({ ...meta, message: 'Nodegroup is already being deleted' });
    group.deleteRequestedAt = world.now;
    return { ...meta, nodegroup: { nodegroupName: group.name, status: 'DELETING' } };
  });

  // EKS Pod Identity associations: one per (namespace, service account) in a cluster, found by id.
  const describeAssociation = (cluster: SimCluster, a: SimPodIdentityAssociation) => ({
    clusterName: cluster.name,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationArn: a.arn,
    associationId: a.id,
    tags: { ...a.tags },
    createdAt: new Date(a.createdAt),
    modifiedAt: new Date(a.modifiedAt),
    disableSessionTags: false,
  });
  const mustAssociation = (region: string, input: { clusterName: string; associationId: string }) => {
    const cluster = mustCluster(region, input.clusterName);
    const association = cluster.podIdentityAssociations.get(input.associationId);
    if (!association)
      throw new ResourceNotFoundException({ ...meta, message: `The specified association ${input.associationId} could not be found.` });
    return { cluster, association };
  };
  const IAM_ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;
  route(
    eks,
    'eks',
    CreatePodIdentityAssociationCommand,
    (input: { clusterName: string; namespace: string; serviceAccount: string; roleArn: string; tags?: Record<string, string> }, region) => {
      const cluster = mustCluster(region, input.clusterName);
      if (world.clusterStatus(cluster) !== 'ACTIVE') throw new InvalidRequestException({ ...meta, message: 'cluster is not ACTIVE' });
      if (!IAM_ROLE_ARN.test(input.roleArn))
        throw new InvalidParameterException({ ...meta, message: `Invalid role ARN: ${input.roleArn}` });
      const duplicate = [...cluster.podIdentityAssociations.values()].some(
        (a) => a.namespace === input.namespace && a.serviceAccount === input.serviceAccount,
      );
      if (duplicate)
        throw new ResourceInUseException({
          ...meta,
          message: `Association already exists: namespace ${input.namespace}, service account ${input.serviceAccount}`,
        });
      const id = `a-${world.nextId('', 17)}`;
      const association: SimPodIdentityAssociation = {
        id,
        arn: `arn:aws:eks:${region}:${ACCOUNT_ID}:podidentityassociation/${cluster.name}/${id}`,
        namespace: input.namespace,
        serviceAccount: input.serviceAccount,
        roleArn: input.roleArn,
        tags: { ...(input.tags ?? {}) },
        createdAt: world.now,
        modifiedAt: world.now,
      };
      cluster.podIdentityAssociations.set(id, association);
      return { ...meta, association: describeAssociation(cluster, association) };
    },
  );
  route(
    eks,
    'eks',
    ListPodIdentityAssociationsCommand,
    (input: { clusterName: string; namespace?: string; serviceAccount?: string }, region) => {
      const cluster = mustCluster(region, input.clusterName);
      const matching = [...cluster.podIdentityAssociations.values()].filter(
        (a) =>
          (input.namespace === undefined || a.namespace === input.namespace) &&
          (input.serviceAccount === undefined || a.serviceAccount === input.serviceAccount),
      );
      // Summaries carry no role: DescribePodIdentityAssociation tells it.
      return {
        ...meta,
        associations: matching.map((a) => ({
          clusterName: cluster.name,
          namespace: a.namespace,
          serviceAccount: a.serviceAccount,
          associationArn: a.arn,
          associationId: a.id,
        })),
      };
    },
  );
  route(eks, 'eks', DescribePodIdentityAssociationCommand, (input: { clusterName: string; associationId: string }, region) => {
    const { cluster, association } = mustAssociation(region, input);
    return { ...meta, association: describeAssociation(cluster, association) };
  });
  route(
    eks,
    'eks',
    UpdatePodIdentityAssociationCommand,
    (input: { clusterName: string; associationId: string; roleArn?: string }, region) => {
      const { cluster, association } = mustAssociation(region, input);
      if (input.roleArn !== undefined) {
        if (!IAM_ROLE_ARN.test(input.roleArn))
          throw new InvalidParameterException({ ...meta, message: `Invalid role ARN: ${input.roleArn}` });
        association.roleArn = input.roleArn;
      }
      association.modifiedAt = world.now;
      return { ...meta, association: describeAssociation(cluster, association) };
    },
  );
  route(eks, 'eks', DeletePodIdentityAssociationCommand, (input: { clusterName: string; associationId: string }, region) => {
    const { cluster, association } = mustAssociation(region, input);
    cluster.podIdentityAssociations.delete(association.id);
    return { ...meta, association: describeAssociation(cluster, association) };
  });

  // EKS add-ons (the Pod Identity agent): CREATING → ACTIVE (or CREATE_FAILED), DELETING → gone.
  const mustAddon = (region: string, input: { clusterName: string; addonName: string }) => {
    const cluster = mustCluster(region, input.clusterName);
    const addon = world.addons(cluster).find((a) => a.name === input.addonName);
    if (!addon) throw new ResourceNotFoundException({ ...meta, message: `No addon: ${input.addonName} found in cluster: ${cluster.name}` });
    return { cluster, addon };
  };
  const describeAddon = (cluster: SimCluster, addon: { name: string; arn: string; tags: Record<string, string> }) => {
    const status = world.addonStatus(cluster.addons.get(addon.name)!);
    return {
      addonName: addon.name,
      clusterName: cluster.name,
      status,
      addonArn: addon.arn,
      addonVersion: cluster.addons.get(addon.name)!.version,
      health: {
        issues:
          status === 'CREATE_FAILED'
            ? [{ code: 'InsufficientNumberOfReplicas', message: 'The add-on is unhealthy because it has no ready pods.' }]
            : [],
      },
      tags: { ...addon.tags },
    };
  };
  route(eks, 'eks', CreateAddonCommand, (input: { clusterName: string; addonName: string; tags?: Record<string, string> }, region) => {
    const cluster = mustCluster(region, input.clusterName);
    if (world.clusterStatus(cluster) !== 'ACTIVE') throw new InvalidRequestException({ ...meta, message: 'cluster is not ACTIVE' });
    if (world.addons(cluster).some((a) => a.name === input.addonName))
      throw new ResourceInUseException({ ...meta, message: `Addon already exists.` });
    if (input.addonName !== 'eks-pod-identity-agent')
      throw new InvalidParameterException({
        ...meta,
        message: `the simulated EKS knows only the eks-pod-identity-agent add-on, not ${input.addonName}`,
      });
    const addon = {
      name: input.addonName,
      arn: `arn:aws:eks:${region}:${ACCOUNT_ID}:addon/${cluster.name}/${input.addonName}/${world.nextId('', 8)}`,
      tags: { ...(input.tags ?? {}) },
      createdAt: world.now,
      failsCreation: world.failNextAddonCreation,
      // No version asked for: EKS's default for the cluster's Kubernetes version.
      version: addonVersionsFor(cluster.version).find((v) => v.isDefault)!.version,
    };
    world.failNextAddonCreation = false;
    cluster.addons.set(addon.name, addon);
    return { ...meta, addon: describeAddon(cluster, addon) };
  });
  route(eks, 'eks', DescribeAddonCommand, (input: { clusterName: string; addonName: string }, region) => {
    const { cluster, addon } = mustAddon(region, input);
    return { ...meta, addon: describeAddon(cluster, addon) };
  });
  route(eks, 'eks', DescribeAddonVersionsCommand, (input: { addonName?: string; kubernetesVersion?: string }) => {
    if (input.addonName !== 'eks-pod-identity-agent' || !input.kubernetesVersion)
      throw new Error('the simulated EKS lists versions of eks-pod-identity-agent for one Kubernetes version only');
    const clusterVersion = input.kubernetesVersion;
    return {
      ...meta,
      addons: [
        {
          addonName: input.addonName,
          addonVersions: addonVersionsFor(clusterVersion).map((v) => ({
            addonVersion: v.version,
            compatibilities: [{ clusterVersion, defaultVersion: v.isDefault }],
          })),
        },
      ],
    };
  });
  route(
    eks,
    'eks',
    UpdateAddonCommand,
    (input: { clusterName: string; addonName: string; addonVersion?: string; resolveConflicts?: string }, region) => {
      const { cluster, addon } = mustAddon(region, input);
      const simAddon = cluster.addons.get(addon.name)!;
      if (world.addonStatus(simAddon) !== 'ACTIVE')
        throw new ResourceInUseException({ ...meta, message: `Addon ${addon.name} is ${world.addonStatus(simAddon)}` });
      const known = addonVersionsFor(cluster.version).map((v) => v.version);
      if (!input.addonVersion || !known.includes(input.addonVersion))
        throw new InvalidParameterException({
          ...meta,
          message: `Addon version ${String(input.addonVersion)} is not supported for Kubernetes ${cluster.version}`,
        });
      simAddon.pendingVersion = { version: input.addonVersion, requestedAt: world.now };
      return { ...meta, update: { id: world.nextId('', 8), status: 'InProgress', type: 'AddonUpdate' } };
    },
  );
  route(eks, 'eks', DeleteAddonCommand, (input: { clusterName: string; addonName: string }, region) => {
    const { cluster, addon } = mustAddon(region, input);
    addon.deleteRequestedAt ??= world.now;
    return { ...meta, addon: describeAddon(cluster, addon) };
  });

  // ---- Lambda: each region's Kubernetes API relay ----
  const lambda = mockClient(LambdaClient);
  mocks.push(lambda);
  strict(lambda, 'Lambda');
  route(lambda, 'lambda', InvokeCommand, async (input: { FunctionName: string; InvocationType?: string; Payload?: Uint8Array }, region) => {
    const network = world.networks.get(region);
    // A name, or the ARN of the function in this region.
    const arn = /^arn:aws:lambda:([^:]+):(\d{12}):function:([^:]+)$/.exec(input.FunctionName);
    const name = arn ? (arn[1] === region && arn[2] === ACCOUNT_ID ? arn[3] : undefined) : input.FunctionName;
    if (!network || name !== network.relay.functionName)
      throw new LambdaResourceNotFound({ ...meta, message: `Function not found: ${input.FunctionName} in ${region}` });
    if ((input.InvocationType ?? 'RequestResponse') !== 'RequestResponse')
      throw new Error(`the simulated relay answers RequestResponse invocations only, not ${input.InvocationType}`);
    const connect = world.connectKubernetes;
    if (!connect) throw new Error('the simulated relay needs world.connectKubernetes (the workflow harness sets it)');
    // The real handler, loaded late so the tests' Powertools settings apply; only its HTTPS client
    // is the simulated API server, reached from the relay's place in the VPC.
    const { createRelayHandler } =
      require('../../../lambdas/kubernetes-api-relay/handler') as typeof import('../../../lambdas/kubernetes-api-relay/handler');
    const handler = createRelayHandler({
      region: () => region,
      connect: (target) => connect(target, { region, vpcId: network.vpcId, securityGroupId: network.relay.securityGroupId }),
    });
    const event = JSON.parse(Buffer.from(input.Payload ?? new Uint8Array()).toString('utf8') || 'null') as never;
    const context = { awsRequestId: world.nextId('relay-'), functionName: name, getRemainingTimeInMillis: () => 30_000 } as never;
    try {
      const result = await handler(event, context);
      return { ...meta, StatusCode: 200, ExecutedVersion: '$LATEST', Payload: Buffer.from(JSON.stringify(result)) };
    } catch (error) {
      // What the Lambda runtime reports for an error the handler throws.
      const { name: errorType, message: errorMessage } = error as Error;
      return {
        ...meta,
        StatusCode: 200,
        FunctionError: 'Unhandled',
        ExecutedVersion: '$LATEST',
        Payload: Buffer.from(JSON.stringify({ errorType, errorMessage, trace: [] })),
      };
    }
  });

  // ---- SSM ----
  const ssm = mockClient(SSMClient);
  mocks.push(ssm);
  strict(ssm, 'SSM');
  route(ssm, 'ssm', GetParameterCommand, (input: { Name: string }, region) => {
    const value = world.parameters.get(`${region}/${input.Name}`);
    if (value === undefined) throw new ParameterNotFound({ ...meta, message: `Parameter ${input.Name} not found.` });
    return { ...meta, Parameter: { Name: input.Name, Type: 'String', Value: value } };
  });

  // ---- CloudFormation ----
  const cloudformation = mockClient(CloudFormationClient);
  mocks.push(cloudformation);
  strict(cloudformation, 'CloudFormation');
  // CloudFormation has no "not found" error: a missing stack is a ValidationError.
  const validationError = (message: string) =>
    new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
  const describeStack = (stack: SimStack) => {
    const status = world.stackStatus(stack);
    return {
      StackId: stack.stackId,
      StackName: stack.name,
      CreationTime: new Date(0),
      StackStatus: status,
      ...(status === 'DELETE_FAILED'
        ? { StackStatusReason: `The following resource(s) failed to delete: [NetworkFlowLogs]. ${stack.deleteFailsWith}` }
        : {}),
      Tags: Object.entries(stack.tags).map(([Key, Value]) => ({ Key, Value })),
    };
  };
  route(cloudformation, 'cloudformation', DescribeStacksCommand, (input: { StackName?: string }, region) => {
    if (input.StackName === undefined) {
      const live = [...world.stacks.values()].filter((stack) => stack.region === region && world.stack(region, stack.name));
      return { ...meta, Stacks: live.map(describeStack) };
    }
    // By stack id, a deleted stack is still found (DELETE_COMPLETE); by name, it does not exist.
    const byId = [...world.stacks.values(), ...world.deletedStacks].find((stack) => stack.stackId === input.StackName);
    const stack = byId ?? world.stack(region, input.StackName);
    if (!stack || stack.region !== region) throw validationError(`Stack with id ${input.StackName} does not exist`);
    return { ...meta, Stacks: [describeStack(stack)] };
  });
  route(cloudformation, 'cloudformation', DeleteStackCommand, (input: { StackName: string; ClientRequestToken?: string }, region) => {
    if (input.ClientRequestToken !== undefined && !/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(input.ClientRequestToken))
      throw validationError(
        `1 validation error detected: Value '${input.ClientRequestToken}' at 'clientRequestToken' failed to satisfy constraint`,
      );
    // Deleting a stack that does not exist succeeds, as in CloudFormation.
    const stack = world.stack(region, input.StackName);
    if (!stack) return { ...meta };
    const status = world.stackStatus(stack);
    if (status === 'DELETE_IN_PROGRESS') return { ...meta };
    // The same token is the same request: a failed delete is retried only by a new one.
    if (status === 'DELETE_FAILED' && input.ClientRequestToken !== undefined && input.ClientRequestToken === stack.deleteToken)
      return { ...meta };
    stack.deleteRequestedAt = world.now;
    stack.deleteToken = input.ClientRequestToken;
    stack.deleteFailsWith = world.stackDeleteFailures.get(`${region}/${stack.name}`);
    return { ...meta };
  });

  // ---- ELB ----
  const elb = mockClient(ElasticLoadBalancingV2Client);
  mocks.push(elb);
  strict(elb, 'ELB');
  route(elb, 'elb', DescribeLoadBalancersCommand, (_input: never, region) => ({
    ...meta,
    LoadBalancers: world.liveLoadBalancers(region).map((lb) => ({
      LoadBalancerArn: lb.arn,
      DNSName: lb.dnsName,
      CanonicalHostedZoneId: NLB_ZONE_IDS[region] ?? 'ZSIMULATEDNLB',
      Type: 'network',
      State: { Code: world.loadBalancerState(lb) === 'deleting' ? 'active' : world.loadBalancerState(lb) },
    })),
  }));

  // ---- Resource Groups Tagging ----
  const tagging = mockClient(ResourceGroupsTaggingAPIClient);
  mocks.push(tagging);
  strict(tagging, 'tagging');
  route(tagging, 'tagging', GetResourcesCommand, (input: { TagFilters?: { Key: string; Values?: string[] }[] }, region) => {
    const all: { ResourceARN: string; Tags: { Key: string; Value: string }[] }[] = [];
    const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    for (const cluster of world.clusters.values()) {
      if (cluster.region !== region || !world.cluster(region, cluster.name)) continue;
      all.push({ ResourceARN: cluster.arn, Tags: tagList(cluster.tags) });
      for (const group of world.nodegroups(cluster)) all.push({ ResourceARN: group.arn, Tags: tagList(group.tags) });
    }
    for (const lb of world.liveLoadBalancers(region)) all.push({ ResourceARN: lb.arn, Tags: tagList(lb.tags) });
    for (const arn of world.networkStackResources.get(region) ?? []) {
      all.push({
        ResourceARN: arn,
        Tags: tagList({ 'kubecdn:project': 'kubecdn', 'kubecdn:region': region, 'aws:cloudformation:stack-name': `network-${region}` }),
      });
    }
    const matches = all.filter((r) =>
      (input.TagFilters ?? []).every((f) => r.Tags.some((t) => t.Key === f.Key && (!f.Values || f.Values.includes(t.Value)))),
    );
    return { ...meta, ResourceTagMappingList: matches, PaginationToken: '' };
  });

  // ---- Route 53 ----
  const r53 = mockClient(Route53Client);
  mocks.push(r53);
  strict(r53, 'Route 53');
  const recordKey = (r: { Name: string; Type: string; SetIdentifier?: string }) => `${r.Name}|${r.Type}|${r.SetIdentifier ?? ''}`;
  route(r53, 'route53', CreateHealthCheckCommand, (input: { CallerReference: string; HealthCheckConfig: Record<string, unknown> }) => {
    const previous = world.callerReferences.get(input.CallerReference);
    if (previous !== undefined) {
      const existing = world.healthChecks.get(previous);
      if (!existing || JSON.stringify(existing.config) !== JSON.stringify(input.HealthCheckConfig)) {
        throw new HealthCheckAlreadyExists({
          ...meta,
          message: `A health check with caller reference ${input.CallerReference} already exists or was deleted`,
        });
      }
      return {
        ...meta,
        HealthCheck: { Id: existing.id, CallerReference: existing.callerReference, HealthCheckConfig: existing.config },
        Location: '',
      };
    }
    const id = world.nextId('', 8) + '-0000-4000-8000-' + world.nextId('', 12);
    world.healthChecks.set(id, {
      id,
      callerReference: input.CallerReference,
      config: input.HealthCheckConfig,
      tags: {},
      createdAt: world.now,
    });
    world.callerReferences.set(input.CallerReference, id);
    return {
      ...meta,
      HealthCheck: { Id: id, CallerReference: input.CallerReference, HealthCheckConfig: input.HealthCheckConfig },
      Location: '',
    };
  });
  route(r53, 'route53', ChangeTagsForResourceCommand, (input: { ResourceId: string; AddTags?: { Key: string; Value: string }[] }) => {
    const check = world.healthChecks.get(input.ResourceId);
    if (!check) throw new NoSuchHealthCheck({ ...meta, message: `No health check exists with the ID ${input.ResourceId}` });
    for (const tag of input.AddTags ?? []) check.tags[tag.Key] = tag.Value;
    return { ...meta };
  });
  route(r53, 'route53', ListHealthChecksCommand, () => ({
    ...meta,
    HealthChecks: [...world.healthChecks.values()].map((c) => ({
      Id: c.id,
      CallerReference: c.callerReference,
      HealthCheckConfig: c.config,
    })),
    IsTruncated: false,
    MaxItems: 100,
  }));
  route(r53, 'route53', ListTagsForResourcesCommand, (input: { ResourceIds: string[] }) => {
    if (input.ResourceIds.length > 10) throw new Error('ListTagsForResources takes at most 10 ids');
    return {
      ...meta,
      ResourceTagSets: input.ResourceIds.filter((id) => world.healthChecks.has(id)).map((id) => ({
        ResourceType: 'healthcheck',
        ResourceId: id,
        Tags: Object.entries(world.healthChecks.get(id)!.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  });
  route(r53, 'route53', DeleteHealthCheckCommand, (input: { HealthCheckId: string }) => {
    if (!world.healthChecks.has(input.HealthCheckId))
      throw new NoSuchHealthCheck({ ...meta, message: `No health check exists with the ID ${input.HealthCheckId}` });
    if ([...world.records.values()].some((r) => r.HealthCheckId === input.HealthCheckId))
      throw new HealthCheckInUse({ ...meta, message: 'The health check is still referenced by a record' });
    world.healthChecks.delete(input.HealthCheckId);
    return { ...meta };
  });
  route(
    r53,
    'route53',
    ChangeResourceRecordSetsCommand,
    (input: { HostedZoneId: string; ChangeBatch: { Changes: { Action: string; ResourceRecordSet: SimRecord }[] } }) => {
      if (input.HostedZoneId !== world.hostedZoneId) throw new Error(`NoSuchHostedZone: ${input.HostedZoneId}`);
      const next = new Map(world.records);
      for (const { Action, ResourceRecordSet: record } of input.ChangeBatch.Changes) {
        const key = recordKey(record);
        if (record.HealthCheckId && !world.healthChecks.has(record.HealthCheckId as string)) {
          throw new InvalidChangeBatch({ ...meta, message: `health check ${String(record.HealthCheckId)} does not exist` });
        }
        if (record.AliasTarget && record.TTL !== undefined)
          throw new InvalidChangeBatch({ ...meta, message: 'an alias record has no TTL' });
        if (Action === 'UPSERT') next.set(key, structuredClone(record));
        else if (Action === 'CREATE') {
          if (next.has(key)) throw new InvalidChangeBatch({ ...meta, message: `record ${key} already exists` });
          next.set(key, structuredClone(record));
        } else if (Action === 'DELETE') {
          if (JSON.stringify(next.get(key)) !== JSON.stringify(record))
            throw new InvalidChangeBatch({ ...meta, message: `record ${key} to delete was not found with these values` });
          next.delete(key);
        }
      }
      world.records.clear();
      for (const [k, v] of next) world.records.set(k, v);
      const id = `/change/C${world.nextId('', 12).toUpperCase()}`;
      world.changes.set(id, world.now);
      return { ...meta, ChangeInfo: { Id: id, Status: 'PENDING', SubmittedAt: new Date(world.now) } };
    },
  );
  route(r53, 'route53', GetHealthCheckStatusCommand, (input: { HealthCheckId: string }) => {
    const check = world.healthChecks.get(input.HealthCheckId);
    if (!check) throw new NoSuchHealthCheck({ ...meta, message: `No health check exists with the ID ${input.HealthCheckId}` });
    // A new check's checkers have not looked yet: Route 53 reports no observation (and calls it healthy meanwhile).
    const interval = ((check.config.RequestInterval as number | undefined) ?? 30) * 1000;
    if (check.createdAt !== undefined && world.now < check.createdAt + interval) return { ...meta, HealthCheckObservations: [] };
    const failure = healthCheckFailure(world, check);
    return {
      ...meta,
      HealthCheckObservations: HEALTH_CHECKER_REGIONS.map((region, i) => ({
        Region: region,
        IPAddress: `15.177.${i * 8}.${10 + i}`,
        StatusReport: { Status: failure ?? 'Success: HTTP Status Code 200, OK', CheckedTime: new Date(world.now) },
      })),
    };
  });
  route(r53, 'route53', GetChangeCommand, (input: { Id: string }) => {
    const status = world.changeStatus(input.Id);
    if (!status) throw new NoSuchChange({ ...meta, message: `No change with id ${input.Id}` });
    return { ...meta, ChangeInfo: { Id: input.Id, Status: status, SubmittedAt: new Date(world.changes.get(input.Id)!) } };
  });
  route(
    r53,
    'route53',
    ListResourceRecordSetsCommand,
    (input: { HostedZoneId: string; StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string }) => {
      if (input.HostedZoneId !== world.hostedZoneId) throw new Error(`NoSuchHostedZone: ${input.HostedZoneId}`);
      const sortKey = (r: SimRecord) => `${r.Name}\u0000${r.Type}\u0000${r.SetIdentifier ?? ''}`;
      const start = `${input.StartRecordName ?? ''}\u0000${input.StartRecordType ?? ''}\u0000${input.StartRecordIdentifier ?? ''}`;
      const sorted = [...world.records.values()].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      return { ...meta, ResourceRecordSets: structuredClone(sorted.filter((r) => sortKey(r) >= start)), IsTruncated: false, MaxItems: 300 };
    },
  );

  return { restore: () => mocks.forEach((m) => m.restore()) };
}
