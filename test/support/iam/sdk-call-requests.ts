/**
 * What IAM authorizes for each AWS SDK call the region-ops Lambda makes against the simulated
 * AWS (world.calls): action, resource ARN and the context keys the service sets from the request.
 * A call this does not know fails the mapping, so a new call cannot go unchecked.
 *
 * The Kubernetes API calls are not here: EKS authorizes them with the access entry (checked as
 * CreateAccessEntry/AssociateAccessPolicy), and the token is a presigned sts:GetCallerIdentity,
 * which needs no permission.
 */
import type { SimulatedCall } from '../simulated-aws/world';
import { ACCOUNT_ID } from '../simulated-aws/world';
import type { IamRequest } from './policy-checker';

type Input = Record<string, unknown>;

/** A generated id the simulated AWS does not report, stable so identical calls are decided once. */
const GENERATED_ID = '00000000-0000-4000-8000-000000000000';

function tagContext(tags: unknown): Record<string, string | string[]> {
  const entries = Object.entries((tags as Record<string, string> | undefined) ?? {});
  if (entries.length === 0) return {};
  return { ...Object.fromEntries(entries.map(([k, v]) => [`aws:RequestTag/${k}`, v])), 'aws:TagKeys': entries.map(([k]) => k) };
}

/** The tags of the resource a call acted on (recorded by the simulated AWS), as IAM sees them. */
function resourceTagContext(tags: SimulatedCall['resourceTags']): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

function passRole(roleArn: unknown, toService = 'eks.amazonaws.com'): IamRequest {
  return { action: 'iam:PassRole', resource: roleArn as string, context: { 'iam:PassedToService': toService } };
}

/** Naming a role in a Pod Identity association passes it (EKS User Guide, "Assign an IAM role to a Kubernetes service account"). */
const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

function eksRequests(operation: string, region: string, input: Input, resourceTags: SimulatedCall['resourceTags']): IamRequest[] {
  const eks = (resource: string) => `arn:aws:eks:${region}:${ACCOUNT_ID}:${resource}`;
  const cluster = eks(`cluster/${(input.name ?? input.clusterName) as string}`);
  const nodegroup = () => eks(`nodegroup/${input.clusterName as string}/${input.nodegroupName as string}/${GENERATED_ID}`);
  const association = () => eks(`podidentityassociation/${input.clusterName as string}/${input.associationId as string}`);
  const addon = () => eks(`addon/${input.clusterName as string}/${input.addonName as string}/${GENERATED_ID}`);
  // access-entry/<cluster>/<identity type>/<identity account>/<identity name>/<id>
  const accessEntry = () => {
    const principal = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(input.principalArn as string);
    if (!principal) throw new Error(`${operation} for a principal the mapping does not know: ${String(input.principalArn)}`);
    const [, account, type, name] = principal;
    return eks(`access-entry/${input.clusterName as string}/${type!}/${account!}/${name!}/${GENERATED_ID}`);
  };
  const action = `eks:${operation}`;
  switch (operation) {
    case 'DescribeCluster':
    case 'DeleteCluster':
    case 'ListNodegroups':
    case 'UpdateClusterConfig':
      return [{ action, resource: cluster }];
    case 'DescribeNodegroup':
    case 'DeleteNodegroup':
    case 'UpdateNodegroupConfig':
    case 'UpdateNodegroupVersion':
      return [{ action, resource: nodegroup() }];
    case 'UpdateClusterVersion':
      return [{ action, resource: cluster }];
    // Authorized on what the update is of: the node group when it names one, else the cluster.
    case 'DescribeUpdate':
      return [
        {
          action,
          resource: input.nodegroupName
            ? eks(`nodegroup/${input.name as string}/${input.nodegroupName as string}/${GENERATED_ID}`)
            : cluster,
        },
      ];
    case 'ListPodIdentityAssociations':
      return [{ action, resource: cluster }];
    case 'CreatePodIdentityAssociation':
      return [{ action, resource: cluster, context: tagContext(input.tags) }, passRole(input.roleArn, POD_IDENTITY_SERVICE)];
    case 'DescribePodIdentityAssociation':
    case 'DeletePodIdentityAssociation':
      return [{ action, resource: association() }];
    case 'UpdatePodIdentityAssociation':
      return [{ action, resource: association() }, ...(input.roleArn ? [passRole(input.roleArn, POD_IDENTITY_SERVICE)] : [])];
    case 'CreateAddon':
      return [{ action, resource: cluster, context: tagContext(input.tags) }];
    case 'DescribeAddon':
    case 'DeleteAddon':
    case 'UpdateAddon':
      return [{ action, resource: addon() }];
    // EKS's catalog: no resource-level permissions.
    case 'DescribeAddonVersions':
      return [{ action, resource: '*' }];
    case 'CreateCluster': {
      const access = (input.accessConfig ?? {}) as Input;
      const compute = (input.computeConfig ?? {}) as Input;
      const context: Record<string, string | string[]> = {
        'aws:RequestedRegion': region,
        ...tagContext(input.tags),
        ...(access.bootstrapClusterCreatorAdminPermissions !== undefined
          ? { 'eks:bootstrapClusterCreatorAdminPermissions': String(access.bootstrapClusterCreatorAdminPermissions) }
          : {}),
        ...(access.authenticationMode ? { 'eks:authenticationMode': access.authenticationMode as string } : {}),
        ...(input.version ? { 'eks:kubernetesVersion': input.version as string } : {}),
      };
      return [{ action, resource: '*', context }, passRole(input.roleArn), ...(compute.nodeRoleArn ? [passRole(compute.nodeRoleArn)] : [])];
    }
    case 'CreateNodegroup':
      return [{ action, resource: cluster, context: tagContext(input.tags) }, passRole(input.nodeRole)];
    case 'CreateAccessEntry':
      return [
        {
          action,
          resource: cluster,
          context: {
            'eks:principalArn': input.principalArn as string,
            'eks:accessEntryType': (input.type as string | undefined) ?? 'STANDARD',
            ...tagContext(input.tags),
          },
        },
      ];
    case 'ListAccessEntries':
      return [{ action, resource: cluster }];
    case 'DescribeAccessEntry':
    case 'ListAssociatedAccessPolicies':
    case 'DeleteAccessEntry':
      return [{ action, resource: accessEntry(), context: resourceTagContext(resourceTags) }];
    case 'AssociateAccessPolicy':
    case 'DisassociateAccessPolicy':
      return [
        {
          action,
          resource: accessEntry(),
          context: {
            'eks:principalArn': input.principalArn as string,
            'eks:policyArn': input.policyArn as string,
            // Disassociate names no scope: the request carries none.
            ...(operation === 'AssociateAccessPolicy'
              ? { 'eks:accessScope': ((input.accessScope as Input | undefined)?.type as string | undefined) ?? 'cluster' }
              : {}),
            ...resourceTagContext(resourceTags),
          },
        },
      ];
    default:
      return unmapped('eks', operation);
  }
}

function route53Requests(operation: string, input: Input): IamRequest[] {
  const zone = () => `arn:aws:route53:::hostedzone/${(input.HostedZoneId as string).replace(/^\/hostedzone\//, '')}`;
  const healthCheck = (id: unknown) => `arn:aws:route53:::healthcheck/${id as string}`;
  const action = `route53:${operation}`;
  switch (operation) {
    case 'CreateHealthCheck':
    case 'ListHealthChecks':
      return [{ action, resource: '*' }];
    case 'DeleteHealthCheck':
    case 'GetHealthCheckStatus':
      return [{ action, resource: healthCheck(input.HealthCheckId) }];
    case 'ChangeTagsForResource':
      return [{ action, resource: `arn:aws:route53:::${input.ResourceType as string}/${input.ResourceId as string}` }];
    case 'ListTagsForResources':
      return (input.ResourceIds as string[]).map((id) => ({ action, resource: `arn:aws:route53:::${input.ResourceType as string}/${id}` }));
    case 'GetChange':
      return [{ action, resource: `arn:aws:route53:::change/${(input.Id as string).replace(/^\/change\//, '')}` }];
    case 'ListResourceRecordSets':
      return [{ action, resource: zone() }];
    case 'ChangeResourceRecordSets': {
      const changes = (input.ChangeBatch as { Changes: { Action: string; ResourceRecordSet: { Name: string; Type: string } }[] }).Changes;
      const distinct = (values: string[]) => [...new Set(values)];
      return [
        {
          action,
          resource: zone(),
          context: {
            // Route 53 normalizes names for these keys: lower case, no trailing dot.
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': distinct(
              changes.map((c) => c.ResourceRecordSet.Name.toLowerCase().replace(/\.$/, '')),
            ),
            'route53:ChangeResourceRecordSetsRecordTypes': distinct(changes.map((c) => c.ResourceRecordSet.Type)),
            'route53:ChangeResourceRecordSetsActions': distinct(changes.map((c) => c.Action)),
          },
        },
      ];
    }
    default:
      return unmapped('route53', operation);
  }
}

function unmapped(service: string, operation: string): never {
  throw new Error(`no IAM mapping for ${service} ${operation}: add it to test/support/iam/sdk-call-requests.ts`);
}

export function sdkCallRequests(call: SimulatedCall): IamRequest[] {
  const input = (call.input ?? {}) as Input;
  const { region, operation } = call;
  switch (call.service) {
    case 'eks':
      return eksRequests(operation, region, input, call.resourceTags);
    case 'route53':
      return route53Requests(operation, input);
    case 'ssm':
      if (operation !== 'GetParameter') return unmapped('ssm', operation);
      return [{ action: 'ssm:GetParameter', resource: `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter${input.Name as string}` }];
    case 'cloudformation': {
      if (operation !== 'DescribeStacks' && operation !== 'DeleteStack') return unmapped('cloudformation', operation);
      const name = input.StackName as string;
      const resource = name.startsWith('arn:') ? name : `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${name}/${GENERATED_ID}`;
      return [{ action: `cloudformation:${operation}`, resource }];
    }
    case 'elb':
      if (operation !== 'DescribeLoadBalancers') return unmapped('elb', operation);
      return [{ action: 'elasticloadbalancing:DescribeLoadBalancers', resource: '*' }];
    case 'lambda': {
      // The Kubernetes API relay of a private-endpoint region, invoked by name or ARN.
      if (operation !== 'Invoke') return unmapped('lambda', operation);
      const name = input.FunctionName as string;
      const resource = name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
      return [{ action: 'lambda:InvokeFunction', resource }];
    }
    case 'tagging':
      if (operation !== 'GetResources') return unmapped('tagging', operation);
      return [{ action: 'tag:GetResources', resource: '*' }];
    default:
      return unmapped(call.service, operation);
  }
}
