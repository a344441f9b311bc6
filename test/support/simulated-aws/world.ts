/**
 * The simulated AWS account the workflow tests run against: EKS clusters and node groups with
 * their Kubernetes API, load balancers, Route 53 (one hosted zone, health checks, changes), SSM
 * network parameters, CloudFormation stacks (the regions' network stacks), the lock table and the
 * operations topic. Time is simulated: the clock
 * moves only when the workflow waits (or a Lambda runs), and every resource changes state when
 * its lead time has passed on that clock, so a cluster goes CREATING → ACTIVE over several polls.
 */
import type { KubernetesApi, KubernetesEndpoint } from '../../../lambdas/region-ops/kubernetes-api';

/** Lead times on the simulated clock, roughly what AWS takes. */
export const LEAD_TIMES_MS = {
  clusterCreate: 10 * 60_000,
  clusterDelete: 6 * 60_000,
  /** UpdateClusterConfig (endpoint access, security groups) until the cluster is ACTIVE again with the change. */
  clusterUpdate: 6 * 60_000,
  nodegroupCreate: 4 * 60_000,
  nodegroupDelete: 5 * 60_000,
  nodegroupUpdate: 2 * 60_000,
  /** UpdateClusterVersion (one minor) until the control plane runs it and is ACTIVE again. */
  clusterVersionUpdate: 12 * 60_000,
  /** UpdateNodegroupVersion: the rolling replacement of the group's nodes. */
  nodegroupVersionUpdate: 8 * 60_000,
  /** CreateAddon (the Pod Identity agent) until ACTIVE, and DeleteAddon until it is gone. */
  addonCreate: 90_000,
  /** UpdateAddon until the new version is ACTIVE. */
  addonUpdate: 60_000,
  addonDelete: 30_000,
  loadBalancerHostname: 20_000,
  loadBalancerProvision: 3 * 60_000,
  loadBalancerDelete: 90_000,
  dnsPropagation: 60_000,
  /** From a Deployment change until its new pods are all ready (when their image works). */
  podsReady: 60_000,
  /**
   * DeleteStack of a region's network stack (VPC, subnets, flow log and log group, parameter, the
   * Kubernetes API relay) until DELETE_COMPLETE or DELETE_FAILED: the worst case, where Lambda
   * takes its time releasing the relay's network interfaces and the subnets and security groups
   * wait for them.
   */
  networkStackDelete: 40 * 60_000,
} as const;

export const ACCOUNT_ID = '123456789012';

export interface SimulatedCall {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly input: unknown;
  readonly at: number;
  /**
   * The tags of the resource the call acted on, as they were then: IAM decides on them
   * (aws:ResourceTag) for calls to existing resources, so the IAM mapping needs them.
   */
  resourceTags?: Readonly<Record<string, string>>;
}

export interface Fault {
  readonly service: string;
  readonly operation: string;
  readonly region?: string;
  /** How many matching calls fail; then the fault is spent. */
  times: number;
  readonly error: () => Error;
}

/** Kubernetes API requests that fail as a flaky network makes them: with a Node.js socket error. */
export interface KubernetesNetworkFault {
  /** Only requests to this region's cluster; any cluster when absent. */
  readonly region?: string;
  /** `request`: the request never reaches the API server; `response`: the server acts on it and its answer is lost. */
  readonly lost: 'request' | 'response';
  /** The socket error's code, e.g. ECONNRESET. */
  readonly code: string;
  /** How many matching requests fail; then the fault is spent. */
  times: number;
}

export interface SimCluster {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly input: Record<string, unknown>;
  readonly createdAt: number;
  /** Set by a fault: the cluster ends its creation FAILED instead of ACTIVE. */
  failsCreation: boolean;
  deleteRequestedAt?: number;
  readonly endpoint: string;
  /** Where the endpoint answers and what the control plane's network interfaces are attached to, as EKS applied it. */
  vpcConfig: SimClusterVpcConfig;
  /** An UpdateClusterConfig in progress: applied when its lead time has passed. */
  pendingUpdate?: { readonly requestedAt: number; readonly vpcConfig: Partial<SimClusterVpcConfig> };
  /** The control plane's Kubernetes minor version. */
  version: string;
  /** An UpdateClusterVersion in progress (also in `updates`): applied when its lead time has passed, unless it fails. */
  versionUpdate?: SimVersionUpdate;
  /** Every version update of the cluster and its node groups, by id, as DescribeUpdate reports them. */
  readonly updates: Map<string, SimVersionUpdate>;
  readonly tags: Record<string, string>;
  /** By principal ARN: the associated access policies and the entry's tags. */
  readonly accessEntries: Map<string, SimAccessEntry>;
  readonly nodegroups: Map<string, SimNodegroup>;
  /** EKS Pod Identity associations by id; deleted with the cluster. */
  readonly podIdentityAssociations: Map<string, SimPodIdentityAssociation>;
  /** EKS add-ons by name; deleted with the cluster. */
  readonly addons: Map<string, SimAddon>;
  /** Kubernetes objects by API path (no query). */
  readonly objects: Map<string, Record<string, unknown>>;
}

export interface SimVersionUpdate {
  readonly id: string;
  readonly type: 'VersionUpdate';
  /** The node group's name, for UpdateNodegroupVersion. */
  readonly nodegroup?: string;
  readonly from: string;
  readonly to: string;
  readonly requestedAt: number;
  /** Set by a fault: the update ends Failed and leaves the version as it was. */
  readonly fails: boolean;
}

export interface SimAccessEntry {
  readonly policies: Set<string>;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SimClusterVpcConfig {
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
}

/** A region's network stack as the region workflows see it: its VPC, and the Kubernetes API relay in it. */
export interface SimNetwork {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Given to a cluster's control plane; admits HTTPS from one security group to whatever carries it. */
  readonly kubernetesApiAccessSecurityGroupId: string;
  /** The security group the access group's one ingress rule names (the relay's, as deployed). */
  readonly kubernetesApiAccessAdmits: string;
  readonly relay: { readonly functionName: string; readonly securityGroupId: string };
  /** The certificate the stack publishes for the region's load balancer, and the VPC's range. */
  readonly certificateArn: string;
  readonly vpcCidr: string;
}

/** Where a Kubernetes API request comes from: the internet (region-ops, outside any VPC) or a relay in a region's VPC. */
export type KubernetesCallOrigin = 'internet' | { readonly region: string; readonly vpcId: string; readonly securityGroupId: string };

export interface SimNodegroup {
  readonly name: string;
  scaling: { minSize: number; desiredSize: number; maxSize: number };
  /** The nodes' Kubernetes minor version (the control plane's when the group was made). */
  version: string;
  /** An UpdateNodegroupVersion in progress (also in the cluster's `updates`). */
  versionUpdate?: SimVersionUpdate;
  updatedAt?: number;
  readonly arn: string;
  readonly input: Record<string, unknown>;
  readonly createdAt: number;
  deleteRequestedAt?: number;
  readonly tags: Record<string, string>;
}

export interface SimPodIdentityAssociation {
  readonly id: string;
  readonly arn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  roleArn: string;
  readonly tags: Record<string, string>;
  readonly createdAt: number;
  modifiedAt: number;
}

export interface SimAddon {
  readonly name: string;
  readonly arn: string;
  readonly tags: Record<string, string>;
  readonly createdAt: number;
  /** Set by a fault: the add-on ends its creation CREATE_FAILED instead of ACTIVE. */
  readonly failsCreation: boolean;
  deleteRequestedAt?: number;
  /** The add-on version installed (see addonVersionsFor). */
  version: string;
  /** An UpdateAddon in progress: the version it installs, applied when its lead time has passed. */
  pendingVersion?: { readonly version: string; readonly requestedAt: number };
}

/**
 * The simulated catalog of the Pod Identity agent add-on: version v1.3.<m>-eksbuild.1 is EKS's
 * default for Kubernetes 1.<m> and also works on 1.<m+1>, so a cluster two minors past its add-on
 * needs the add-on updated (as EKS's own catalog moves on).
 */
export function addonVersionsFor(kubernetesVersion: string): { version: string; isDefault: boolean }[] {
  const minor = Number(kubernetesVersion.split('.')[1]);
  return [
    { version: `v1.3.${minor}-eksbuild.1`, isDefault: true },
    { version: `v1.3.${minor - 1}-eksbuild.1`, isDefault: false },
  ];
}

/** One listener of a load balancer, as the controller built it from a Service port and its annotations. */
export interface SimListener {
  readonly port: number;
  /** TLS: the load balancer ends TLS with `certificateArn` under `sslPolicy`; TCP: bytes pass through. */
  readonly protocol: 'TLS' | 'TCP';
  readonly certificateArn?: string;
  readonly sslPolicy?: string;
  /** The pod port its target group forwards to. */
  readonly targetPort: number;
  readonly proxyProtocolV2: boolean;
}

/** A pod of a Deployment (see edge-pods.ts): plain data, so a copy of the account copies it. */
export interface SimPod {
  readonly name: string;
  readonly namespace: string;
  /** The Deployment's name. */
  readonly deployment: string;
  readonly templateHash: string;
  readonly labels: Record<string, string>;
  readonly createdAt: number;
  ready: boolean;
  /** Set when the Deployment scaled below it: it is shutting down (deletionTimestamp) and no longer counts. */
  terminatingSince?: number;
  /** The nginx cache on its disk: keys `<host><path>[?query]`, as the purge companion reads them. */
  cache: string[];
  /** The purge request ids its companion has answered. */
  readonly handled: string[];
}

export interface SimLoadBalancer {
  readonly arn: string;
  readonly region: string;
  readonly dnsName: string;
  readonly createdAt: number;
  deleteRequestedAt?: number;
  readonly tags: Record<string, string>;
  /** The cluster and Service that own it, while they exist. */
  readonly owner: { cluster: string; servicePath: string };
  /** Deleted with the load balancer; changed in place when the Service changes. */
  listeners: readonly SimListener[];
  /** How its target groups check the pods. */
  targetHealthCheck: { readonly protocol: string; readonly port: string; readonly path?: string };
}

export interface SimHealthCheck {
  readonly id: string;
  readonly callerReference: string;
  readonly config: Record<string, unknown>;
  tags: Record<string, string>;
  /** When it was created; its checkers report nothing for one request interval after that. Absent: long ago. */
  readonly createdAt?: number;
}

export interface SimStack {
  readonly name: string;
  readonly region: string;
  readonly stackId: string;
  readonly tags: Record<string, string>;
  /** What the stack's deletion removes with it: `region/name` keys of world.parameters. */
  readonly parameterKeys: readonly string[];
  deleteRequestedAt?: number;
  /** The ClientRequestToken of the delete in progress or last failed: a repeat with it is the same request. */
  deleteToken?: string;
  /** Set when the delete started while a fault was armed: it ends DELETE_FAILED with this reason. */
  deleteFailsWith?: string;
}

export interface SimRecord {
  readonly Name: string;
  readonly Type: string;
  readonly SetIdentifier?: string;
  readonly [key: string]: unknown;
}

export class SimulatedAws {
  now: number;
  readonly calls: SimulatedCall[] = [];
  readonly faults: Fault[] = [];
  readonly clusters = new Map<string, SimCluster>(); // key: region/name
  readonly createTokens = new Map<string, string>(); // clientRequestToken → region/name
  readonly loadBalancers: SimLoadBalancer[] = [];
  readonly healthChecks = new Map<string, SimHealthCheck>();
  readonly callerReferences = new Map<string, string>(); // reference → health check id, kept after deletion
  readonly records = new Map<string, SimRecord>(); // key: name|type|setIdentifier
  readonly changes = new Map<string, number>(); // change id → submitted at
  readonly parameters = new Map<string, string>(); // key: region/name
  /** ACM certificates that exist and are issued (the network stacks' and the operator's), by ARN. */
  readonly certificates = new Set<string>();
  /** Why the load balancer controller built no load balancer for a Service (also a Warning event on the Service). */
  readonly loadBalancerProblems: string[] = [];
  /**
   * LoadBalancer Services no controller in their cluster serves yet (key: region/cluster|object
   * path): a controller that becomes available takes them up (load-balancer-controller.ts).
   */
  readonly unservedLoadBalancerServices = new Set<string>();
  /**
   * Clusters created from now on get the AWS Load Balancer Controller (installLoadBalancerController),
   * as an operator's cluster bootstrap would install it. Off by default: kubecdn installs none, so
   * a new managed-nodegroup cluster has no controller, as in AWS.
   */
  loadBalancerControllerInNewClusters = false;
  readonly networkStackResources = new Map<string, string[]>(); // region → ARNs tagged by CloudFormation
  readonly stacks = new Map<string, SimStack>(); // key: region/name; live stacks only
  readonly deletedStacks: SimStack[] = []; // DELETE_COMPLETE: found by stack id, not by name
  /** Fault: a delete of the stack `region/name` started while this is set ends DELETE_FAILED with the reason. */
  readonly stackDeleteFailures = new Map<string, string>();
  readonly lockItems = new Map<string, Record<string, Record<string, string>>>();
  /** The regions' network stacks as deployed (region → VPC and relay). */
  readonly networks = new Map<string, SimNetwork>();
  /**
   * The Kubernetes API servers as the region workflows' credentials reach them, from where the
   * request comes from. Set by the workflow harness, which knows the workflow role; the relay's
   * simulated invocation uses it from inside the VPC.
   */
  connectKubernetes?: (target: KubernetesEndpoint, from: KubernetesCallOrigin) => KubernetesApi;
  /** What the workflows published to the operations topic; `attributes` are the String message attributes. */
  readonly notifications: { subject: string; message: string; topicArn: string; attributes: Record<string, string> }[] = [];
  /** Faults of the clusters' Kubernetes API (see failKubernetesRequests). */
  readonly kubernetesNetworkFaults: KubernetesNetworkFault[] = [];
  /**
   * Test hook: awaited after a call is recorded and before it is answered, so a test can hold one
   * call (say, a record deletion between its check and its change) while other executions run.
   */
  holdCall: ((call: SimulatedCall) => Promise<void> | undefined) | undefined;
  /** Fault: the next cluster created ends its creation FAILED. */
  failNextClusterCreation = false;
  /** Fault: version updates (UpdateClusterVersion, UpdateNodegroupVersion) of clusters in these regions end Failed. */
  readonly failingVersionUpdates = new Set<string>();
  /** Fault: the next add-on created ends its creation CREATE_FAILED. */
  failNextAddonCreation = false;
  /** Fault: pods of a template with one of these images never become ready (a bad release). */
  readonly brokenImages = new Set<string>();
  /** Fault: Route 53's checkers see these regions' load balancers fail (say, the origin is unreachable from there). */
  readonly unhealthyRegions = new Set<string>();
  /** The clusters' pods (key: region/cluster name → pods by name), kept in line with their Deployments (edge-pods.ts). */
  readonly pods = new Map<string, Map<string, SimPod>>();
  /** When each purge request id first appeared in a cluster's `edge-purge` ConfigMap (key: region/cluster|id). */
  readonly purgeRequestsSeen = new Map<string, number>();
  /**
   * Which ConfigMap data keys each field manager set with its last server-side apply (key:
   * region/cluster|object path|manager): an apply keeps the keys other writers set, as SSA does.
   */
  readonly configMapDataOwners = new Map<string, string[]>();
  /** Fault: these pods' readiness probes fail (they run, but are not Ready). */
  readonly unreadyPods = new Set<string>();
  /** Fault: these pods' purge companions never answer (stuck, or a pod without the sidecar). */
  readonly silentPurgePods = new Set<string>();
  /** Fault: these pods' purge companions answer every request with this error. */
  readonly failingPurgePods = new Map<string, string>();
  private ids = 0;

  constructor(
    readonly hostedZoneId: string,
    startMs = Date.UTC(2026, 0, 5, 9, 0, 0),
  ) {
    this.now = startMs;
  }

  nextId(prefix: string, length = 12): string {
    this.ids += 1;
    return `${prefix}${this.ids.toString(16).padStart(length, '0')}`;
  }

  /**
   * An independent copy of the account as it is now (a test forks one set-up state into many
   * instead of re-running the set-up). Armed faults hold functions and are not copied: fork first.
   */
  clone(): SimulatedAws {
    if (this.faults.some((f) => f.times > 0)) throw new Error('clone the simulated account before arming faults');
    const copy = Object.create(SimulatedAws.prototype) as Record<string, unknown>;
    // Hooks (holdCall, and connectKubernetes, which the harness of the copy sets to reach the copy) are not copied.
    for (const [key, value] of Object.entries(this))
      copy[key] = key === 'faults' ? [] : typeof value === 'function' ? undefined : structuredClone(value);
    return copy as unknown as SimulatedAws;
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /**
   * Records the call and throws an injected fault if one matches. (Its shape was checked before it
   * got here, like every SDK request in the tests: test/support/aws-requests.)
   */
  enter(service: string, operation: string, region: string, command: { input: unknown }): void {
    this.calls.push({ service, operation, region, input: command.input, at: this.now });
    const fault = this.faults.find(
      (f) => f.times > 0 && f.service === service && f.operation === operation && (!f.region || f.region === region),
    );
    if (fault) {
      fault.times -= 1;
      throw fault.error();
    }
  }

  inject(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Fault: the next `times` Kubernetes API requests (to `region`'s cluster, or any) fail with a socket error. */
  failKubernetesRequests(fault: Partial<KubernetesNetworkFault> = {}): void {
    this.kubernetesNetworkFaults.push({ lost: 'request', code: 'ECONNRESET', times: 1, ...fault });
  }

  /** The network fault that takes this request, if one is armed (and counts it). */
  takeKubernetesNetworkFault(region: string): KubernetesNetworkFault | undefined {
    const fault = this.kubernetesNetworkFaults.find((f) => f.times > 0 && (!f.region || f.region === region));
    if (fault) fault.times -= 1;
    return fault;
  }

  // ---- EKS ----

  clusterStatus(cluster: SimCluster): 'CREATING' | 'ACTIVE' | 'FAILED' | 'DELETING' | 'GONE' {
    if (cluster.deleteRequestedAt !== undefined)
      return this.now >= cluster.deleteRequestedAt + LEAD_TIMES_MS.clusterDelete ? 'GONE' : 'DELETING';
    if (this.now < cluster.createdAt + LEAD_TIMES_MS.clusterCreate) return 'CREATING';
    return cluster.failsCreation ? 'FAILED' : 'ACTIVE';
  }

  /** The cluster if it exists (a finished deletion removes it, with whatever it still held; a finished update is applied). */
  cluster(region: string, name: string): SimCluster | undefined {
    const key = `${region}/${name}`;
    const cluster = this.clusters.get(key);
    if (cluster && this.clusterStatus(cluster) === 'GONE') {
      this.clusters.delete(key);
      return undefined;
    }
    if (cluster?.pendingUpdate && this.now >= cluster.pendingUpdate.requestedAt + LEAD_TIMES_MS.clusterUpdate) {
      cluster.vpcConfig = { ...cluster.vpcConfig, ...cluster.pendingUpdate.vpcConfig };
      cluster.pendingUpdate = undefined;
    }
    if (cluster?.versionUpdate && this.updateStatus(cluster.versionUpdate) !== 'InProgress') {
      if (!cluster.versionUpdate.fails) cluster.version = cluster.versionUpdate.to;
      cluster.versionUpdate = undefined;
    }
    return cluster;
  }

  /**
   * What DescribeCluster reports: UPDATING while an update is in progress. The cluster keeps
   * working meanwhile, as EKS's does, so everything else goes by clusterStatus.
   */
  reportedClusterStatus(cluster: SimCluster): 'CREATING' | 'ACTIVE' | 'UPDATING' | 'FAILED' | 'DELETING' | 'GONE' {
    const status = this.clusterStatus(cluster);
    return status === 'ACTIVE' && (cluster.pendingUpdate || cluster.versionUpdate) ? 'UPDATING' : status;
  }

  /**
   * Why a request from `from` cannot reach the cluster's API endpoint, or undefined if it can. A
   * private endpoint resolves to addresses in the cluster's VPC: only a caller in that VPC whose
   * security group the control plane admits gets through; anyone else's connection times out.
   */
  kubernetesEndpointUnreachable(cluster: SimCluster, from: KubernetesCallOrigin): string | undefined {
    const config = cluster.vpcConfig;
    if (from === 'internet') {
      if (!config.endpointPublicAccess) return `${cluster.endpoint} is private (no public endpoint access); it answers only inside its VPC`;
      return undefined;
    }
    if (!config.endpointPrivateAccess) return `${cluster.endpoint} has no private endpoint access`;
    const network = this.networks.get(cluster.region);
    if (from.region !== cluster.region || !network || network.vpcId !== from.vpcId)
      return `the caller is in ${from.vpcId} (${from.region}), not in the cluster's VPC`;
    if (!config.subnetIds.every((subnet) => network.subnetIds.includes(subnet)))
      return `the cluster's subnets ${config.subnetIds.join(', ')} are not in ${network.vpcId}`;
    const admitted =
      config.securityGroupIds.includes(network.kubernetesApiAccessSecurityGroupId) &&
      network.kubernetesApiAccessAdmits === from.securityGroupId;
    if (!admitted)
      return `no security group of the control plane (${config.securityGroupIds.join(', ') || 'none'}) admits ${from.securityGroupId} on 443`;
    return undefined;
  }

  nodegroupStatus(group: SimNodegroup): 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'GONE' {
    if (group.deleteRequestedAt !== undefined)
      return this.now >= group.deleteRequestedAt + LEAD_TIMES_MS.nodegroupDelete ? 'GONE' : 'DELETING';
    if (this.now < group.createdAt + LEAD_TIMES_MS.nodegroupCreate) return 'CREATING';
    const update = group.versionUpdate;
    if (update && this.updateStatus(update) === 'InProgress') return 'UPDATING';
    if (update) {
      if (!update.fails) group.version = update.to;
      group.versionUpdate = undefined;
    }
    return 'ACTIVE';
  }

  /** What DescribeUpdate reports for a version update. */
  updateStatus(update: SimVersionUpdate): 'InProgress' | 'Successful' | 'Failed' {
    const lead = update.nodegroup ? LEAD_TIMES_MS.nodegroupVersionUpdate : LEAD_TIMES_MS.clusterVersionUpdate;
    if (this.now < update.requestedAt + lead) return 'InProgress';
    return update.fails ? 'Failed' : 'Successful';
  }

  addonStatus(addon: SimAddon): 'CREATING' | 'ACTIVE' | 'UPDATING' | 'CREATE_FAILED' | 'DELETING' | 'GONE' {
    if (addon.deleteRequestedAt !== undefined) return this.now >= addon.deleteRequestedAt + LEAD_TIMES_MS.addonDelete ? 'GONE' : 'DELETING';
    if (this.now < addon.createdAt + LEAD_TIMES_MS.addonCreate) return 'CREATING';
    if (addon.pendingVersion && this.now < addon.pendingVersion.requestedAt + LEAD_TIMES_MS.addonUpdate) return 'UPDATING';
    if (addon.pendingVersion) {
      addon.version = addon.pendingVersion.version;
      addon.pendingVersion = undefined;
    }
    return addon.failsCreation ? 'CREATE_FAILED' : 'ACTIVE';
  }

  addons(cluster: SimCluster): SimAddon[] {
    for (const [name, addon] of cluster.addons) if (this.addonStatus(addon) === 'GONE') cluster.addons.delete(name);
    return [...cluster.addons.values()];
  }

  nodegroups(cluster: SimCluster): SimNodegroup[] {
    for (const [name, group] of cluster.nodegroups) if (this.nodegroupStatus(group) === 'GONE') cluster.nodegroups.delete(name);
    return [...cluster.nodegroups.values()];
  }

  // ---- ELB ----

  loadBalancerState(lb: SimLoadBalancer): 'provisioning' | 'active' | 'deleting' | 'GONE' {
    if (lb.deleteRequestedAt !== undefined)
      return this.now >= lb.deleteRequestedAt + LEAD_TIMES_MS.loadBalancerDelete ? 'GONE' : 'deleting';
    return this.now >= lb.createdAt + LEAD_TIMES_MS.loadBalancerProvision ? 'active' : 'provisioning';
  }

  liveLoadBalancers(region?: string): SimLoadBalancer[] {
    for (let i = this.loadBalancers.length - 1; i >= 0; i -= 1) {
      if (this.loadBalancerState(this.loadBalancers[i]!) === 'GONE') this.loadBalancers.splice(i, 1);
    }
    return this.loadBalancers.filter((lb) => !region || lb.region === region);
  }

  // ---- Route 53 ----

  changeStatus(id: string): 'PENDING' | 'INSYNC' | undefined {
    const at = this.changes.get(id);
    if (at === undefined) return undefined;
    return this.now >= at + LEAD_TIMES_MS.dnsPropagation ? 'INSYNC' : 'PENDING';
  }

  latencyRecords(domainName: string): SimRecord[] {
    return [...this.records.values()].filter((r) => r.Name === `${domainName}.` && r.Type === 'A' && r.SetIdentifier);
  }

  // ---- CloudFormation ----

  stackStatus(stack: SimStack): 'CREATE_COMPLETE' | 'DELETE_IN_PROGRESS' | 'DELETE_FAILED' | 'DELETE_COMPLETE' {
    if (stack.deleteRequestedAt === undefined) return 'CREATE_COMPLETE';
    if (this.now < stack.deleteRequestedAt + LEAD_TIMES_MS.networkStackDelete) return 'DELETE_IN_PROGRESS';
    return stack.deleteFailsWith !== undefined ? 'DELETE_FAILED' : 'DELETE_COMPLETE';
  }

  /** The live stack by name (a finished deletion removes it, with its parameter and tagged resources). */
  stack(region: string, name: string): SimStack | undefined {
    const key = `${region}/${name}`;
    const stack = this.stacks.get(key);
    if (stack && this.stackStatus(stack) === 'DELETE_COMPLETE') {
      this.stacks.delete(key);
      this.deletedStacks.push(stack);
      for (const parameter of stack.parameterKeys) this.parameters.delete(parameter);
      this.networkStackResources.delete(region);
      this.networks.delete(region);
      return undefined;
    }
    return stack;
  }

  /** The region's CloudFormation stacks that still exist, with their status. */
  stacksOf(region: string): string[] {
    return [...this.stacks.values()]
      .filter((stack) => stack.region === region && this.stack(region, stack.name))
      .map((stack) => `stack ${stack.name} (${this.stackStatus(stack)})`);
  }

  // ---- Inventory ----

  /**
   * Everything that exists for a region and bills, serves or grants: clusters, node groups, their
   * add-ons and Pod Identity associations, load
   * balancers and their listeners, its DNS record and health checks (global, attributed by tags or CallerReference), its lock.
   * Not its network stack, which `cdk deploy` owns and a configured region keeps when stopped: a
   * removal deletes it too, and tests of a removal check `stacksOf(region)` as well.
   */
  resourcesOf(region: string, project: string): string[] {
    const found: string[] = [];
    for (const [key, cluster] of [...this.clusters]) {
      if (!key.startsWith(`${region}/`) || !this.cluster(region, cluster.name)) continue;
      found.push(`cluster ${cluster.name} (${this.clusterStatus(cluster)})`);
      for (const group of this.nodegroups(cluster)) found.push(`nodegroup ${group.name}`);
      for (const addon of this.addons(cluster)) found.push(`add-on ${addon.name} (${this.addonStatus(addon)})`);
      for (const association of cluster.podIdentityAssociations.values())
        found.push(`pod identity association ${association.namespace}/${association.serviceAccount} → ${association.roleArn}`);
    }
    for (const lb of this.liveLoadBalancers(region)) {
      found.push(`load balancer ${lb.dnsName} (${this.loadBalancerState(lb)})`);
      for (const listener of lb.listeners) found.push(`listener ${lb.dnsName}:${listener.port} (${listener.protocol})`);
    }
    for (const record of this.records.values())
      if (record.SetIdentifier === region) found.push(`record ${record.Name} ${record.SetIdentifier}`);
    // By tags or by CallerReference (`<project>-<region>-<digest>`): a check whose tagging failed
    // still bills and must show here. Read independently of the code under test on purpose.
    for (const check of this.healthChecks.values()) {
      const tagged = check.tags['kubecdn:project'] === project && check.tags['kubecdn:region'] === region;
      const referenced = new RegExp(`^${project}-${region}-[0-9a-f]+$`).test(check.callerReference);
      if (tagged || referenced) found.push(`health check ${check.id}`);
    }
    if (this.lockItems.has(region)) found.push(`lock held by ${this.lockItems.get(region)!.holder?.S}`);
    return found;
  }

  awsCalls(): SimulatedCall[] {
    return this.calls;
  }
}
