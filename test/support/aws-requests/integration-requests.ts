/**
 * The requests Step Functions makes for a state machine's service-integration Tasks, checked like
 * the SDK's: an integration's parameters are the API's own (PascalCase) request, so
 * `arn:aws:states:::dynamodb:putItem` takes PutItem's input shape.
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand } from '@aws-sdk/client-sns';
import { checkAwsRequest } from './checked-requests';
import type { CommandLike } from '../simulated-aws/request-shapes';

interface Integration {
  readonly command: new (input: never) => CommandLike;
  /** String parameters Step Functions accepts as JSON and serializes before calling the API. */
  readonly serializes?: readonly string[];
}

const INTEGRATIONS: Record<string, Integration> = {
  'dynamodb:putItem': { command: PutItemCommand },
  'dynamodb:deleteItem': { command: DeleteItemCommand },
  'dynamodb:getItem': { command: GetItemCommand },
  'dynamodb:updateItem': { command: UpdateItemCommand },
  'sns:publish': { command: PublishCommand, serializes: ['Message'] },
  'states:startExecution': { command: StartExecutionCommand, serializes: ['Input'] },
};

/** `arn:aws:states:::sns:publish` → sns:publish; `...states:startExecution.sync:2` → states:startExecution. */
function integrationName(resource: string): string | undefined {
  const m = /^arn:aws:states:::([\w-]+:\w+)(?:\.(?:sync|waitForTaskToken)(?::\d+)?)?$/.exec(resource);
  return m?.[1];
}

/**
 * Checks the resolved parameters of a service-integration Task (throws MalformedAwsRequestError,
 * recorded so the test fails even when a Catch handles it). Lambda function resources carry the
 * function's own payload, not an API request, and are not checked.
 */
export function checkIntegrationRequest(resource: string, parameters: unknown): void {
  if (resource.startsWith('arn:aws:lambda:')) return;
  const name = integrationName(resource);
  const integration = name ? INTEGRATIONS[name] : undefined;
  if (!integration) throw new Error(`the harness cannot check the request of Task resource ${resource}: map it to its SDK command`);
  const command = new integration.command({} as never);
  checkAwsRequest(new integration.command(apiRequest(parameters, command, integration) as never), `Step Functions ${name}`);
}

/**
 * The API request Step Functions makes of a Task's parameters: names in PascalCase even where the
 * API's are camelCase (StartExecution's stateMachineArn is given as StateMachineArn), JSON it
 * serializes. A camelCase parameter stays as given, to be refused. Top level only: no integration
 * the harness runs has a camelCase API with nested structures.
 */
function apiRequest(parameters: unknown, command: CommandLike, integration: Integration): unknown {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return parameters;
  const inputSchema = resolveSchema((resolveSchema(command.schema) as unknown[])[4]) as unknown[];
  const members = inputSchema[4] as string[];
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    const pascal = /^[A-Z]/.test(key);
    const member = pascal ? members.find((m) => m === key || m === key[0]!.toLowerCase() + key.slice(1)) : undefined;
    const serialize = integration.serializes?.includes(key) && value !== undefined && typeof value !== 'string';
    request[member ?? (pascal ? key : `${key} (Step Functions takes PascalCase parameter names)`)] = serialize
      ? JSON.stringify(value)
      : value;
  }
  return request;
}

function resolveSchema(schema: unknown): unknown {
  let s = schema;
  while (typeof s === 'function') s = (s as () => unknown)();
  return s;
}
