/**
 * The CloudFormation custom resource protocol, for a function used directly as a ServiceToken:
 * the event, and the response PUT to its pre-signed URL. Without a response CloudFormation waits
 * an hour, so the handler always answers, FAILED included.
 */
import { z } from 'zod';

const regionList = z.array(z.string());
export const regionListsProperties = z.object({ AlwaysOn: regionList, Scalable: regionList });

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
