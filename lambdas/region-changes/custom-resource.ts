/**
 * The CloudFormation custom resource protocol, for a function used directly as a ServiceToken:
 * the event, and the response PUT to its pre-signed URL. Without a response CloudFormation waits
 * an hour, so the handler always answers, FAILED included.
 */
import { z } from 'zod';
import { regionCodeSchema } from '../../core/config/region-code';

const regionList = z.array(regionCodeSchema, { error: 'expected a list of AWS region codes' });

/** Also the roll-out's `version` input: RolloutWorkload accepts exactly this. */
export const WORKLOAD_VERSION = /^[A-Za-z0-9._-]{1,64}$/;
const workloadVersionField = z
  .string({ error: 'expected a workload version such as "3f2a9c1b7e04"' })
  .regex(WORKLOAD_VERSION, { error: 'expected a workload version of 1 to 64 letters, digits, ".", "_" or "-"' });

/** What the deploy sets: the region lists and the workload version (lib/workload-version.ts). */
export const deployProperties = z.object({ AlwaysOn: regionList, Scalable: regionList, WorkloadVersion: workloadVersionField });

/**
 * What the deployed resource had. Resources created before the workload version existed have
 * none; their regions run a workload of unknown version, so the first deploy rolls out.
 */
export const deployedProperties = deployProperties.extend({ WorkloadVersion: workloadVersionField.optional() });

export type DeployProperties = z.infer<typeof deployProperties>;
export type DeployedProperties = z.infer<typeof deployedProperties>;

export const customResourceEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.string().url(),
  StackId: z.string(),
  RequestId: z.string(),
  LogicalResourceId: z.string(),
  PhysicalResourceId: z.string().optional(),
  ResourceProperties: z.unknown(),
  OldResourceProperties: z.unknown().optional(),
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
