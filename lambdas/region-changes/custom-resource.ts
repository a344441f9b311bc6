/**
 * The CloudFormation custom resource protocol, for a function used directly as a ServiceToken:
 * the event, and the response PUT to its pre-signed URL. Without a response CloudFormation waits
 * an hour, so the handler always answers, FAILED included.
 */
import * as z from 'zod/mini';
import { regionCodeMessage } from '../../core/config/region-code-message';
import { AWS_REGION_CODES } from '../../core/regions';

// zod/mini, as every schema this function loads: the full library would double its cold load.
const regionCode = z.enum(AWS_REGION_CODES as [string, ...string[]], { error: regionCodeMessage });
const regionList = z.array(regionCode, { error: 'expected a list of AWS region codes' });

/** Also the roll-out's `version` input: RolloutWorkload accepts exactly this. */
export const WORKLOAD_VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const workloadVersionField = z
  .string({ error: 'expected a workload version such as "3f2a9c1b7e04"' })
  .check(z.regex(WORKLOAD_VERSION, { error: 'expected a workload version of 1 to 64 letters, digits, ".", "_" or "-"' }));

/** The config's `cluster.kubernetesVersion`: a minor such as "1.35" (the schema checked it is one EKS offers). */
const kubernetesVersionField = z
  .string({ error: 'expected a Kubernetes minor version such as "1.35"' })
  .check(z.regex(/^1\.\d{1,3}$/, { error: 'expected a Kubernetes minor version such as "1.35"' }));

/** What the deploy sets: the region lists, the workload version (lib/workload-version.ts) and the clusters' Kubernetes version. */
export const deployProperties = z.object({
  AlwaysOn: regionList,
  Scalable: regionList,
  WorkloadVersion: workloadVersionField,
  KubernetesVersion: kubernetesVersionField,
});

/**
 * What the deployed resource had. Resources created before the workload version existed have
 * none; their regions run a workload of unknown version, so the first deploy rolls out. Likewise
 * for the Kubernetes version: its clusters may run anything, so the first deploy upgrades (a
 * cluster already at the version is left alone).
 */
export const deployedProperties = z.extend(deployProperties, {
  WorkloadVersion: z.optional(workloadVersionField),
  KubernetesVersion: z.optional(kubernetesVersionField),
});

export type DeployProperties = z.infer<typeof deployProperties>;
export type DeployedProperties = z.infer<typeof deployedProperties>;

export const customResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.string().check(z.url()),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  PhysicalResourceId: z.optional(z.string()),
  ResourceProperties: z.unknown(),
  OldResourceProperties: z.optional(z.unknown()),
});

export type CustomResourceEvent = z.infer<typeof customResourceEventSchema>;

export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export type SendResponse = (url: string, response: CustomResourceResponse) => Promise<void>;

/** The pre-signed S3 URL takes a PUT with no content type (fetch sets the length of a string body). */
export const putResponse: SendResponse = async (url, response) => {
  const answer = await fetch(url, { method: 'PUT', body: JSON.stringify(response), headers: { 'content-type': '' } });
  if (!answer.ok) throw new Error(`CloudFormation response PUT answered ${answer.status}`);
};
