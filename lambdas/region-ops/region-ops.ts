/**
 * One workflow step, dispatched on `step`: resolves the region's clients and runs the small
 * function that does the work. Everything AWS comes in through `RegionOpsDependencies`, so tests
 * run exactly this code against a simulated AWS.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { workloadPlaceholders } from './workload-placeholders';
import { createHash } from 'node:crypto';
import { isConfiguredRegion, standbyFor } from '../../core/config/regions-of';
import { networkStackName } from '../../lib/naming';
import { InvalidInputError } from '../shared/errors';
import type { RegionOpsDeployment } from './deployment';
import { RegionOperationFailedError } from './errors';
import {
  changeStatus,
  deleteLatencyRecord,
  deleteRegionHealthChecks,
  ensureHealthCheck,
  healthCheckConvergence,
  latencyRecords,
  regionHealth,
  upsertLatencyRecord,
  viewerHealthCheck,
} from './dns';
import {
  deleteCluster,
  deleteNodegroups,
  describeCluster,
  ensureCluster,
  ensureCompute,
  scaleComputeToZero,
  ensureWorkflowAccess,
  type ClusterSpec,
} from './eks-cluster';
import { eksToken } from './eks-token';
import { ensureEndpointAccess, needsRelay } from './endpoint-access';
import type { KubernetesApi, KubernetesEndpoint } from './kubernetes-api';
import { convergePeopleAccess } from './people-access';
import { ensurePodIdentity, removeEdgeAssociation } from './pod-identity';
import { edgeFileManifests } from './edge-file-manifests';
import { renderManifests, type KubernetesManifest } from './kubernetes-manifests';
import { activeLoadBalancer, remainingLoadBalancers } from './load-balancers';
import { whyNoLoadBalancer } from './load-balancer-wait';
import { clusterName, PART_OF_LABEL } from './names';
import { readRegionNetwork, type RegionNetwork } from './network';
import { deleteNetworkStack } from './network-stack';
import { validatePurgeInput } from './purge-input';
import { listEdgePods, lockVerdict, purgeProgress, regionProgress, requestPurge } from './purge-region';
import { purgeOutcome } from './purge-report';
import { relayKubernetesApi } from './relay-kubernetes-api';
import { buildReport } from './report';
import { validateRolloutInput } from './rollout-input';
import { rolloutProgress } from './rollout-progress';
import type { StepEvent } from './steps';
import { sweepLeftovers } from './sweep';
import { validateWorkflowInput } from './workflow-input';
import { upgradeCluster } from './cluster-upgrade';
import { validateUpgradeInput } from './upgrade-input';
import { applyWorkload, deleteLoadBalancerServices, pruneConfigMaps, scaleWorkloadToZero, workloadLoadBalancerService } from './workload';
import { currentTemplates, restoreTemplates, workloadRolloutStatus } from './workload-sync';

/** The cold StopRegion's steps: all a region that is no longer configured may go through. */
const TEARDOWN_STEPS: ReadonlySet<StepEvent['step']> = new Set([
  'deleteRecord',
  'changeStatus',
  'deleteLoadBalancerServices',
  'loadBalancersGone',
  'removePodIdentity',
  'deleteNodegroups',
  'deleteCluster',
  'deleteHealthChecks',
  'sweep',
  'deleteNetworkStack',
]);

/** Steps only a region removed from the config may go through: a configured region keeps its network stack. */
const REMOVAL_ONLY_STEPS: ReadonlySet<StepEvent['step']> = new Set(['deleteNetworkStack']);

export interface RegionClients {
  readonly eks: EKSClient;
  readonly ssm: SSMClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly cloudformation: CloudFormationClient;
  /** Invokes the region's Kubernetes API relay (clusters with a private endpoint). */
  readonly lambda: LambdaClient;
}

export interface RegionOpsDependencies {
  readonly deployment: RegionOpsDeployment;
  /** Clients for the target region (region work never uses the function's own region). */
  readonly clientsFor: (region: string) => RegionClients;
  /** Route 53 is global. */
  readonly route53: Route53Client;
  readonly kubernetes: (endpoint: KubernetesEndpoint) => KubernetesApi;
  readonly now: () => number;
}

/**
 * The region's network parameter, read at most once however many parts of a step need it (the
 * relay and the manifests' certificate and CIDR, say): one GetParameter per step.
 */
type NetworkOnce = () => Promise<RegionNetwork>;

function networkOnce(deps: RegionOpsDependencies, region: string): NetworkOnce {
  let read: Promise<RegionNetwork> | undefined;
  return () => (read ??= readRegionNetwork(deps.clientsFor(region).ssm, deps.deployment.networkParameterName, region));
}

/**
 * The cluster's Kubernetes API, or undefined when there is no ACTIVE cluster to talk to. With
 * `ensureAccess`, the workflow role's access entry is made first: a teardown may meet a cluster
 * whose start failed before access was granted, and must still remove its load balancers.
 */
async function kubernetesFor(
  deps: RegionOpsDependencies,
  region: string,
  options: {
    ensureAccess?: boolean;
    /** Also while the cluster is UPDATING (its API keeps answering): for steps that change nothing EKS is updating. */
    whileUpdating?: boolean;
    /** The region's network parameter, read at most once per step. */
    network?: NetworkOnce;
  } = {},
): Promise<KubernetesApi | undefined> {
  const { eks } = deps.clientsFor(region);
  const name = clusterName(deps.deployment.config.name, region);
  const cluster = await describeCluster(eks, name);
  const usable = cluster?.status === 'ACTIVE' || (options.whileUpdating === true && cluster?.status === 'UPDATING');
  if (!usable || !cluster?.endpoint || !cluster.certificateAuthority?.data) return undefined;
  if (options.ensureAccess) await ensureWorkflowAccess(eks, name, deps.deployment.workflowRoleArn);
  const token = await eksToken(name, region, eks.config.credentials, new Date(deps.now()));
  const target = { endpoint: cluster.endpoint, certificateAuthority: cluster.certificateAuthority.data, token };
  // The cluster's actual endpoint decides, not the config: a cluster created before the config
  // changed keeps being reached the way it can be until a start converges it.
  if (needsRelay(cluster)) {
    const network = await (options.network ?? networkOnce(deps, region))();
    return relayKubernetesApi(deps.clientsFor(region).lambda, network.kubernetesApiRelayFunctionName, target);
  }
  return deps.kubernetes(target);
}

/**
 * The manifests as the region gets them, the edge files' ConfigMaps among them. The certificate in `https.certificateArns` wins over the
 * one the network stack published (a config changed since the stack was last deployed still takes
 * effect); the network stack always publishes one, so the Service never gets an empty certificate.
 */
function workloadManifests(
  deps: RegionOpsDependencies,
  region: string,
  manifests: readonly KubernetesManifest[],
  network: RegionNetwork,
): KubernetesManifest[] {
  const { config } = deps.deployment;
  const edge = { certificateArn: config.https.certificateArns[region] ?? network.certificateArn, vpcCidr: network.vpcCidr };
  return renderManifests(
    manifests,
    workloadPlaceholders(config, region, edge),
    [PART_OF_LABEL, config.name],
    edgeFileManifests(deps.deployment.edgeFiles),
  );
}

/** An idempotency token per execution and resource, short enough for any AWS API (32 hex characters). */
function requestToken(execution: string, resource: string): string {
  return createHash('sha256').update(`${execution}|${resource}`).digest('hex').slice(0, 32);
}

/** Cluster states in which the cluster is there to stay: a rollback keeps a cluster it found so. */
const STANDING_CLUSTER_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'CREATING', 'UPDATING', 'PENDING']);

/**
 * What StartRegion finds before it changes anything. A rollback undoes only what the run created:
 * a region whose latency record existed was serving and keeps everything; a cluster that stood
 * before the run is kept (scaled back to zero) rather than deleted.
 */
async function inspectRegion(
  deps: RegionOpsDependencies,
  eks: EKSClient,
  record: { readonly hostedZoneId: string; readonly domainName: string; readonly region: string },
): Promise<{ serving: boolean; clusterExisted: boolean; summary: string }> {
  const name = clusterName(deps.deployment.config.name, record.region);
  const status = (await describeCluster(eks, name))?.status;
  const serving = (await latencyRecords(deps.route53, record)).has(record.region);
  const clusterExisted = status !== undefined && STANDING_CLUSTER_STATUSES.has(status);
  const summary = `when this run began: cluster ${name} ${status ?? 'absent'}, ${serving ? 'a' : 'no'} latency record for ${record.domainName}`;
  return { serving, clusterExisted, summary };
}

export async function runStep(event: StepEvent, deps: RegionOpsDependencies): Promise<unknown> {
  const { config } = deps.deployment;
  if (event.step === 'validateInput') {
    const options = { lockSeconds: event.lockSeconds, nowMs: deps.now() };
    if (event.operation === 'rollout') return validateRolloutInput(config, event.input, options);
    if (event.operation === 'purge') return validatePurgeInput(config, event.input, options);
    if (event.operation === 'upgradeClusters') return validateUpgradeInput(config, event.input, options);
    return validateWorkflowInput(config, event.input, { ...options, operation: event.operation });
  }
  if (event.step === 'report') return buildReport(event, deps.now());
  if (event.step === 'readClock') return { nowEpochSeconds: Math.floor(deps.now() / 1000) };
  // The roll-out's own bookkeeping: no region, no AWS.
  if (event.step === 'rolloutProgress') return rolloutProgress(event);
  if (event.step === 'purgeOutcome') return purgeOutcome(event.results);

  // Every other step acts on a region: a configured one, or, for a region removed from the config
  // (StopRegion with "removed": true), only the teardown steps, whatever the caller built.
  const { region } = event;
  if (!isConfiguredRegion(config, region) && !TEARDOWN_STEPS.has(event.step))
    throw new InvalidInputError(`"${region}" is not a configured region; only teardown steps may act on a region removed from the config`);
  if (isConfiguredRegion(config, region) && REMOVAL_ONLY_STEPS.has(event.step))
    throw new InvalidInputError(`"${region}" is a configured region; ${event.step} acts only on a region removed from the config`);
  const project = config.name;
  const cluster = clusterName(project, region);
  const spec: ClusterSpec = {
    project,
    region,
    cluster: config.cluster,
    clusterRoleArn: deps.deployment.clusterRoleArn,
    nodeRoleArn: deps.deployment.nodeRoleArn,
  };
  const record = { hostedZoneId: config.dns.hostedZoneId, domainName: config.dns.domainName, region };
  const clients = () => deps.clientsFor(region);
  const next = 'attempt' in event ? event.attempt + 1 : 0;

  switch (event.step) {
    case 'ensureCluster': {
      const network = await readRegionNetwork(clients().ssm, deps.deployment.networkParameterName, region);
      const status = await ensureCluster(clients().eks, spec, network, requestToken(event.execution, cluster));
      return { clusterName: cluster, status, attempt: event.attempt };
    }
    case 'clusterStatus': {
      const found = await describeCluster(clients().eks, cluster);
      if (found?.status !== 'ACTIVE') return { status: found?.status ?? 'NONE', attempt: next };
      // ACTIVE after an endpoint update: the next one, if the config needs more than one.
      const network = await readRegionNetwork(clients().ssm, deps.deployment.networkParameterName, region);
      return { status: await ensureEndpointAccess(clients().eks, { ...found, name: cluster }, config.cluster, network), attempt: next };
    }
    case 'ensureCompute': {
      if (config.cluster.mode === 'auto') return { status: 'READY', attempt: next };
      const network = await readRegionNetwork(clients().ssm, deps.deployment.networkParameterName, region);
      return {
        status: await ensureCompute(clients().eks, spec, network, requestToken(event.execution, `${cluster}-nodegroup`)),
        attempt: next,
      };
    }
    case 'grantAccess':
      await ensureWorkflowAccess(clients().eks, cluster, deps.deployment.workflowRoleArn);
      return { principalArn: deps.deployment.workflowRoleArn };
    case 'grantPeopleAccess':
      return convergePeopleAccess(clients().eks, {
        project,
        cluster,
        access: config.access,
        workflowRoleArn: deps.deployment.workflowRoleArn,
      });
    case 'ensurePodIdentity': {
      const podIdentity = { project, region, mode: config.cluster.mode, roleArn: deps.deployment.edgeAgentRoleArn };
      return { ...(await ensurePodIdentity(clients().eks, podIdentity)), attempt: next };
    }
    case 'removePodIdentity':
      return { removed: await removeEdgeAssociation(clients().eks, project, region) };
    case 'applyWorkload': {
      const network = networkOnce(deps, region);
      const api = await kubernetesFor(deps, region, { network });
      if (!api) throw new InvalidInputError(`cluster ${cluster} is not ACTIVE; the workload is applied only after the cluster is`);
      return { applied: await applyWorkload(api, workloadManifests(deps, region, event.manifests, await network())) };
    }
    case 'findLoadBalancer': {
      const api = await kubernetesFor(deps, region);
      if (!api) throw new InvalidInputError(`cluster ${cluster} is not ACTIVE`);
      const service = await workloadLoadBalancerService(api, project);
      const target = service.hostname ? await activeLoadBalancer(clients().elb, service.hostname) : undefined;
      if (target) return { ready: true, loadBalancer: target, waiting: null, attempt: next };
      // Why not yet, for the cause should the wait time out; or a failure now, if it never can come.
      const waiting = service.hostname
        ? `load balancer ${service.hostname} is not active in ELB yet`
        : await whyNoLoadBalancer(api, {
            mode: config.cluster.mode,
            cluster,
            // As validateInput decides it: an always-on region is torn down cold.
            standby: config.alwaysOn.includes(region) ? 'cold' : standbyFor(config, region),
            service,
          });
      return { ready: false, loadBalancer: null, waiting, attempt: next };
    }
    case 'ensureHealthCheck':
      return {
        healthCheckId: await ensureHealthCheck(deps.route53, {
          project,
          region,
          targetDnsName: event.loadBalancer.dnsName,
          ...viewerHealthCheck(config),
        }),
      };
    case 'upsertRecord':
      return { changeId: await upsertLatencyRecord(deps.route53, record, event.loadBalancer, event.healthCheckId) };
    case 'changeStatus':
      return { status: event.changeId === null ? 'INSYNC' : await changeStatus(deps.route53, event.changeId), attempt: next };
    case 'deleteRecord':
      return { changeId: (await deleteLatencyRecord(deps.route53, record, { removeLastRecord: event.removeLastRecord })) ?? null };
    case 'inspectRegion':
      return inspectRegion(deps, clients().eks, record);
    case 'deleteLoadBalancerServices': {
      const api = await kubernetesFor(deps, region, { ensureAccess: true });
      if (!api) return { hostnames: [], remaining: 0 };
      return deleteLoadBalancerServices(api);
    }
    case 'loadBalancersGone': {
      // The Services are deleted first; re-listing them catches a load balancer created since.
      const api = await kubernetesFor(deps, region, { ensureAccess: true });
      let hostnames = event.hostnames;
      let servicesRemaining = 0;
      if (api) {
        const again = await deleteLoadBalancerServices(api);
        hostnames = [...new Set([...hostnames, ...again.hostnames])];
        servicesRemaining = again.remaining;
      }
      const remaining = await remainingLoadBalancers(clients().elb, hostnames);
      return { hostnames, remaining, servicesRemaining, gone: remaining === 0 && servicesRemaining === 0, attempt: next };
    }
    case 'scaleWorkloadToZero': {
      const network = networkOnce(deps, region);
      const api = await kubernetesFor(deps, region, { ensureAccess: true, network });
      if (api) await scaleWorkloadToZero(api, workloadManifests(deps, region, event.manifests, await network()));
      await scaleComputeToZero(clients().eks, spec);
      return { scaled: api !== undefined };
    }
    case 'deleteNodegroups':
      return { remaining: await deleteNodegroups(clients().eks, cluster), attempt: next };
    case 'deleteCluster':
      return { status: await deleteCluster(clients().eks, cluster), attempt: next };
    case 'deleteHealthChecks':
      return { deleted: await deleteRegionHealthChecks(deps.route53, project, region, event.keepHealthCheckId ?? undefined) };
    case 'sweep':
      return {
        leftovers: await sweepLeftovers({ tagging: clients().tagging, route53: deps.route53, eks: clients().eks }, project, region),
      };
    case 'deleteNetworkStack': {
      const stack = networkStackName(project, region);
      // CloudFormation wants a token starting with a letter; stable across this execution's retries and polls.
      const token = `kubecdn-${requestToken(event.execution, `${region}/${stack}`)}`;
      return { ...(await deleteNetworkStack(clients().cloudformation, project, region, token)), attempt: next };
    }
    case 'inspectWorkload': {
      // A region that does not serve is not synced: there is nothing to roll back to, and its
      // next StartRegion applies the current manifests anyway. A warm standby has an ACTIVE
      // cluster but no record, so both are checked.
      const status = (await describeCluster(clients().eks, cluster))?.status;
      const notServing = (why: string) => ({
        serving: false,
        reason: `${why}; the next StartRegion applies the current workload`,
        previous: [],
      });
      if (status !== 'ACTIVE') return notServing(`cluster ${cluster} is ${status ?? 'absent'}`);
      const latency = (await latencyRecords(deps.route53, record)).get(region);
      if (!latency) return notServing(`${region} has no latency record for ${config.dns.domainName} (stopped or in warm standby)`);
      // A cluster created by hand or restored may lack the workflow role's access entry.
      const network = networkOnce(deps, region);
      const api = await kubernetesFor(deps, region, { ensureAccess: true, network });
      if (!api) return notServing(`cluster ${cluster} is no longer ACTIVE`);
      const previous = await currentTemplates(api, workloadManifests(deps, region, event.manifests, await network()));
      // Read now, acted on once the new version has passed the record's own check.
      const healthCheck = await healthCheckConvergence(deps.route53, latency, { project, region, ...viewerHealthCheck(config) });
      return {
        serving: true,
        reason: `${region} is serving; its Deployments' current pod templates are kept for a restore`,
        previous,
        healthCheck,
      };
    }
    case 'workloadRollout': {
      const network = networkOnce(deps, region);
      const api = await kubernetesFor(deps, region, { network });
      if (!api) throw new RegionOperationFailedError(`cluster ${cluster} is not ACTIVE; the workload cannot roll out`);
      const rendered = workloadManifests(deps, region, event.manifests, await network());
      return { ...(await workloadRolloutStatus(api, rendered)), attempt: next };
    }
    case 'healthCheckStatus':
      return { ...(await regionHealth(deps.route53, record, event.healthCheckId)), attempt: next };
    case 'restoreWorkload': {
      if (event.previous.length === 0) return { restored: [] };
      const api = await kubernetesFor(deps, region, { ensureAccess: true });
      if (!api) throw new RegionOperationFailedError(`cluster ${cluster} is not ACTIVE; the previous pod template cannot be restored`);
      return { restored: await restoreTemplates(api, event.previous) };
    }
    case 'purgeRegion': {
      // Busy first: a stop or sync in flight is changing the pods the purge would wait for.
      const lock = lockVerdict(region, event.lock, Math.floor(deps.now() / 1000));
      if (lock.kind === 'busy') return { region, outcome: 'busy', error: 'RegionBusy', cause: lock.cause };
      const starting =
        lock.kind === 'starting' ? ` while StartRegion ${lock.holder} starts it; the edge pods it starts begin with an empty cache` : '';
      // An UPDATING cluster (an EKS version or endpoint update) keeps serving, and its API answers.
      const api = await kubernetesFor(deps, region, { whileUpdating: true });
      if (!api) {
        const status = (await describeCluster(clients().eks, cluster))?.status;
        const reason =
          status === undefined ? `cluster ${cluster} is absent (stopped)` : `cluster ${cluster} is ${status}: it serves nothing`;
        return { region, outcome: 'skipped', reason: reason + starting };
      }
      const pods = (await listEdgePods(api)).filter((pod) => !pod.terminating);
      // A warm standby keeps its cluster with the workload scaled to zero: no pod (or only pods shutting down), no cache.
      if (pods.length === 0)
        return { region, outcome: 'skipped', reason: 'no edge pods run (warm standby or scaled to zero): nothing cached' + starting };
      await requestPurge(api, project, event.request);
      return { region, outcome: 'requested', pods: pods.length };
    }
    case 'purgeProgress': {
      const api = await kubernetesFor(deps, region, { whileUpdating: true });
      if (!api) throw new RegionOperationFailedError(`cluster ${cluster} is no longer ACTIVE; the purge cannot be confirmed`);
      return { ...regionProgress(region, await purgeProgress(api, event.request)), attempt: next };
    }
    case 'upgradeCluster': {
      const target = { cluster, version: config.cluster.kubernetesVersion, mode: config.cluster.mode };
      return { ...(await upgradeCluster(clients().eks, target, event.previous.update ?? null)), attempt: next };
    }
    case 'pruneConfigMaps': {
      const network = networkOnce(deps, region);
      const api = await kubernetesFor(deps, region, { network });
      if (!api) throw new RegionOperationFailedError(`cluster ${cluster} is not ACTIVE; old ConfigMaps cannot be pruned`);
      return { deleted: await pruneConfigMaps(api, project, workloadManifests(deps, region, event.manifests, await network())) };
    }
  }
}
