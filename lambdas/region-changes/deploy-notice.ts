/**
 * The custom resource behind the deploy's region-change warning: its properties are the
 * configured region lists, so CloudFormation updates it exactly when a deploy changes them, and
 * hands it the old lists beside the new. It answers with what changed as the `Summary`
 * attribute, which the control stack shows as an output: `cdk deploy` prints it at the end.
 * It changes nothing itself; the autoscaler acts on the new config on its next tick.
 */
import { customResourceEventSchema, regionListsProperties, type CustomResourceEvent, type SendResponse } from './custom-resource';
import { regionChangeSummary, type RegionLists } from './region-changes';

export interface DeployNoticeDeps {
  readonly project: string;
  readonly send: SendResponse;
}

const toLists = (properties: unknown): RegionLists => {
  const parsed = regionListsProperties.parse(properties);
  return { alwaysOn: parsed.AlwaysOn, scalable: parsed.Scalable };
};

function summarize(event: CustomResourceEvent): string {
  // A Delete reads nothing, so it can never be blocked by properties it does not understand.
  if (event.RequestType === 'Delete') return 'Deleted.';
  const after = toLists(event.ResourceProperties);
  if (event.RequestType === 'Create')
    return `First deploy: alwaysOn ${after.alwaysOn.join(', ')}; scalable ${after.scalable.join(', ') || 'none'}.`;
  return regionChangeSummary(toLists(event.OldResourceProperties), after);
}

/** Always answers CloudFormation (without an answer it waits an hour), FAILED when the event is not understood. */
export async function handleDeployNotice(raw: unknown, deps: DeployNoticeDeps): Promise<void> {
  const event = customResourceEventSchema.parse(raw);
  const base = {
    PhysicalResourceId: event.PhysicalResourceId ?? `${deps.project}-region-changes`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  let summary: string;
  try {
    summary = summarize(event);
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 1000);
    await deps.send(event.ResponseURL, { ...base, Status: 'FAILED', Reason: reason });
    return;
  }
  // Attribute values are limited to 4 KB in all.
  await deps.send(event.ResponseURL, { ...base, Status: 'SUCCESS', Data: { Summary: summary.slice(0, 2000) } });
}
