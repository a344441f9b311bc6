/**
 * A loopback stand-in for the AWS services the operator commands call, CloudFormation (query
 * protocol, XML answers), Step Functions (awsJson1_0), EKS's DescribeCluster (restJson1),
 * CloudWatch's GetMetricData (awsJson1_0, query-compatible), Route 53's
 * ListResourceRecordSets (restXml), and for overrides DynamoDB (awsJson1_0), SNS Publish and STS
 * GetCallerIdentity (query), for tests of the real binary: the
 * binary's AWS_ENDPOINT_URL points here. Each request is decoded back into the SDK command it
 * came from and shape-checked like every SDK request of the tests (aws-requests/checked-requests),
 * so a malformed request is refused here and fails the test.
 */
import { type DescribeStacksCommandInput, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  GetExecutionHistoryCommand,
  type GetExecutionHistoryCommandInput,
  StartExecutionCommand,
  type StartExecutionCommandInput,
} from '@aws-sdk/client-sfn';
import { GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { type AttributeValue, DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type MessageAttributeValue, PublishCommand } from '@aws-sdk/client-sns';
import { ListResourceRecordSetsCommand, type ListResourceRecordSetsCommandInput } from '@aws-sdk/client-route-53';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandInput,
  ListExecutionsCommand,
  type ListExecutionsCommandInput,
} from '@aws-sdk/client-sfn';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAwsRequest } from './aws-requests/checked-requests';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';

export interface StandInRequest {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** The region of the request's signature (its credential scope). */
  readonly region: string | undefined;
}

/** A history event as Step Functions' JSON carries it (timestamps in epoch seconds). */
export type StandInEvent = Record<string, unknown> & { id: number; type: string; timestamp: number };

export interface StandInWorld {
  /** The control stack's outputs, or undefined for a stack that does not exist. */
  outputs: Record<string, string> | undefined;
  /** The history each GetExecutionHistory returns, `pageSize` events a page. */
  history: StandInEvent[];
  pageSize: number;
  /** EKS clusters by name; one not listed does not exist; one with `error` answers DescribeCluster with that error (HTTP 403). */
  clusters?: Record<string, StandInCluster>;
  /** GetMetricData's datapoints for a query id over [start, end) (epoch ms) at its period; none when absent. */
  metricData?: (id: string, startMs: number, endMs: number, periodSeconds: number) => { timestamps: number[]; values: number[] };
  /** The hosted zone's records, as ListResourceRecordSets lists them (sorted by name, then type). */
  records?: StandInRecord[];
  /** Each state machine's executions, newest first, as ListExecutions lists them `executionPageSize` a page. */
  executions?: Record<string, StandInExecution[]>;
  executionPageSize?: number;
  /** DynamoDB tables by name, each item by its `region` key; a table not listed does not exist. */
  tables?: Record<string, Record<string, Record<string, AttributeValue>>>;
  /** The ARN GetCallerIdentity answers with. */
  callerArn?: string;
  /** STS refuses GetCallerIdentity with this error code (ExpiredToken, say). */
  callerRefused?: string;
  /** SNS refuses every Publish with this error code (AuthorizationError, say). */
  publishRefused?: string;
}

export type StandInCluster = { status: string; endpointPublicAccess: boolean; version?: string } | { error: string; message: string };

export interface StandInRecord {
  name: string;
  type: string;
  setIdentifier?: string;
}

/** An execution as Step Functions' JSON carries it (dates in epoch seconds). */
export interface StandInExecution {
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  /** The execution's input, for DescribeExecution. */
  input?: string;
}

const ACCOUNT = '123456789012';

export async function workflowAwsStandIn(world: StandInWorld) {
  const requests: StandInRequest[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const [, region, service] = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\//.exec(request.headers.authorization ?? '') ?? [];
      const target = request.headers['x-amz-target'] as string | undefined;
      try {
        if (request.method === 'GET' && request.url?.startsWith('/clusters/')) {
          const name = decodeURIComponent(request.url.slice('/clusters/'.length));
          requests.push({ operation: 'DescribeCluster', input: { name }, region });
          checkAwsRequest(new DescribeClusterCommand({ name }), 'stand-in');
          const cluster = world.clusters?.[name];
          if (cluster && 'error' in cluster) {
            response
              .writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': cluster.error })
              .end(JSON.stringify({ message: cluster.message }));
            return;
          }
          if (!cluster) {
            response
              .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
              .end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              cluster: {
                name,
                status: cluster.status,
                ...(cluster.version ? { version: cluster.version } : {}),
                endpoint: `https://${name}.eks.example`,
                certificateAuthority: { data: 'Q0EgZm9yIHRlc3Rz' },
                resourcesVpcConfig: { endpointPublicAccess: cluster.endpointPublicAccess, endpointPrivateAccess: true },
              },
            }),
          );
          return;
        }
        if (request.method === 'GET' && request.url?.startsWith('/2013-04-01/hostedzone/')) {
          const url = new URL(request.url, 'http://stand-in');
          const input: ListResourceRecordSetsCommandInput = {
            HostedZoneId: decodeURIComponent(url.pathname.split('/')[3] ?? ''),
            ...(url.searchParams.has('name') ? { StartRecordName: url.searchParams.get('name')! } : {}),
            ...(url.searchParams.has('type') ? { StartRecordType: url.searchParams.get('type') as 'A' } : {}),
            ...(url.searchParams.has('identifier') ? { StartRecordIdentifier: url.searchParams.get('identifier')! } : {}),
          };
          requests.push({ operation: 'ListResourceRecordSets', input: { ...input }, region });
          checkAwsRequest(new ListResourceRecordSetsCommand(input), 'stand-in');
          response.writeHead(200, { 'content-type': 'text/xml' }).end(recordSetsXml(world.records ?? []));
          return;
        }
        if (target === 'GraniteServiceVersion20100801.GetMetricData') {
          const json = JSON.parse(body) as Record<string, unknown>;
          // awsJson carries timestamps as epoch seconds; the SDK's own input has Dates.
          const input = { ...json, StartTime: new Date(Number(json.StartTime) * 1000), EndTime: new Date(Number(json.EndTime) * 1000) };
          requests.push({ operation: 'GetMetricData', input, region });
          checkAwsRequest(new GetMetricDataCommand(input as unknown as GetMetricDataCommandInput), 'stand-in');
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(metricData(input, world)));
          return;
        }
        if (target?.startsWith('AWSStepFunctions.')) {
          const operation = target.slice('AWSStepFunctions.'.length);
          const input = JSON.parse(body) as Record<string, unknown>;
          requests.push({ operation, input, region });
          const [status, payload] = stepFunctions(operation, input, world);
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
          return;
        }
        if (target?.startsWith('DynamoDB_20120810.')) {
          const operation = target.slice('DynamoDB_20120810.'.length);
          const input = JSON.parse(body) as Record<string, unknown>;
          requests.push({ operation, input, region });
          const [status, payload] = dynamoDb(operation, input, world);
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(payload));
          return;
        }
        const params = Object.fromEntries(new URLSearchParams(body));
        const { Action: operation = '?', Version: _version, ...input } = params;
        requests.push({ operation, input, region });
        const [status, xml] =
          service === 'sns'
            ? sns(operation, input, world)
            : service === 'sts'
              ? sts(operation, params, world)
              : cloudFormation(operation, input, world, region ?? 'us-east-1');
        response.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
      } catch (error) {
        // A refused shape: answered as AWS answers a malformed request (the checker also fails the test).
        response
          .writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify({ __type: 'ValidationException', message: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    requests,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function stepFunctions(operation: string, input: Record<string, unknown>, world: StandInWorld): [number, unknown] {
  if (operation === 'StartExecution') {
    checkAwsRequest(new StartExecutionCommand(input as unknown as StartExecutionCommandInput), 'stand-in');
    const machine = String(input.stateMachineArn);
    return [
      200,
      {
        executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${String(input.name)}`,
        startDate: world.history[0]?.timestamp ?? 0,
      },
    ];
  }
  if (operation === 'GetExecutionHistory') {
    checkAwsRequest(new GetExecutionHistoryCommand(input as unknown as GetExecutionHistoryCommandInput), 'stand-in');
    const from = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const to = from + world.pageSize;
    return [200, { events: world.history.slice(from, to), ...(to < world.history.length ? { nextToken: String(to) } : {}) }];
  }
  if (operation === 'ListExecutions') {
    checkAwsRequest(new ListExecutionsCommand(input as unknown as ListExecutionsCommandInput), 'stand-in');
    const machine = String(input.stateMachineArn);
    const all = (world.executions?.[machine] ?? []).filter((e) => input.statusFilter === undefined || e.status === input.statusFilter);
    const from = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const to = from + Math.min(Number(input.maxResults ?? 100), world.executionPageSize ?? 100);
    const page = all.slice(from, to).map(({ input: _input, ...execution }) => ({
      ...execution,
      stateMachineArn: machine,
      executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${execution.name}`,
    }));
    return [200, { executions: page, ...(to < all.length ? { nextToken: String(to) } : {}) }];
  }
  if (operation === 'DescribeExecution') {
    checkAwsRequest(new DescribeExecutionCommand(input as unknown as DescribeExecutionCommandInput), 'stand-in');
    const arn = String(input.executionArn);
    for (const [machine, executions] of Object.entries(world.executions ?? {})) {
      const found = executions.find((e) => `${machine.replace(':stateMachine:', ':execution:')}:${e.name}` === arn);
      if (found) return [200, { ...found, executionArn: arn, stateMachineArn: machine, input: found.input ?? '{}' }];
    }
    return [400, { __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${arn}'` }];
  }
  return [400, { __type: 'UnknownOperationException', message: `the stand-in does not answer ${operation}` }];
}

function metricData(input: { MetricDataQueries?: unknown; StartTime: Date; EndTime: Date }, world: StandInWorld) {
  const queries = (input.MetricDataQueries ?? []) as Array<{ Id: string; MetricStat?: { Period?: number } }>;
  return {
    MetricDataResults: queries.map((query) => {
      const { timestamps, values } = world.metricData?.(
        query.Id,
        input.StartTime.getTime(),
        input.EndTime.getTime(),
        query.MetricStat?.Period ?? 60,
      ) ?? { timestamps: [], values: [] };
      return { Id: query.Id, Label: query.Id, Timestamps: timestamps.map((ms) => ms / 1000), Values: values, StatusCode: 'Complete' };
    }),
  };
}

function recordSetsXml(records: readonly StandInRecord[]): string {
  const members = records
    .map(
      (r) =>
        `<ResourceRecordSet><Name>${r.name}</Name><Type>${r.type}</Type>` +
        (r.setIdentifier ? `<SetIdentifier>${r.setIdentifier}</SetIdentifier><Region>${r.setIdentifier}</Region>` : '') +
        `<TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>`,
    )
    .join('');
  return (
    `<?xml version="1.0"?>\n<ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">` +
    `<ResourceRecordSets>${members}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>`
  );
}

type Item = Record<string, AttributeValue>;

function dynamoDb(operation: string, input: Record<string, unknown>, world: StandInWorld): [number, unknown] {
  const table = world.tables?.[String(input.TableName)];
  const missing: [number, unknown] = [
    400,
    { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' },
  ];
  if (operation === 'PutItem') {
    checkAwsRequest(new PutItemCommand(input as unknown as ConstructorParameters<typeof PutItemCommand>[0]), 'stand-in');
    if (!table) return missing;
    const item = input.Item as Item;
    const key = item.region!.S!;
    const old = table[key];
    table[key] = item;
    return [200, input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}];
  }
  if (operation === 'DeleteItem') {
    checkAwsRequest(new DeleteItemCommand(input as unknown as ConstructorParameters<typeof DeleteItemCommand>[0]), 'stand-in');
    if (!table) return missing;
    const key = (input.Key as Item).region!.S!;
    const old = table[key];
    delete table[key];
    return [200, input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}];
  }
  if (operation === 'Scan') {
    checkAwsRequest(new ScanCommand(input as unknown as ConstructorParameters<typeof ScanCommand>[0]), 'stand-in');
    if (!table) return missing;
    const items = Object.values(table);
    return [200, { Items: items, Count: items.length, ScannedCount: items.length }];
  }
  return [400, { __type: 'UnknownOperationException', message: `the stand-in does not answer DynamoDB ${operation}` }];
}

/** SNS Publish, its query form (MessageAttributes.entry.N.Name/Value.*) decoded back into the SDK's input. */
function sns(operation: string, input: Record<string, string>, world: StandInWorld): [number, string] {
  if (operation !== 'Publish') return [400, errorXml('InvalidAction', `the stand-in does not answer SNS ${operation}`)];
  const attributes: Record<string, MessageAttributeValue> = {};
  for (let n = 1; input[`MessageAttributes.entry.${n}.Name`] !== undefined; n++) {
    const prefix = `MessageAttributes.entry.${n}.Value.`;
    attributes[input[`MessageAttributes.entry.${n}.Name`]!] = {
      DataType: input[`${prefix}DataType`],
      StringValue: input[`${prefix}StringValue`],
    };
  }
  const known = /^(TopicArn|Subject|Message|MessageAttributes\.entry\.\d+\.(Name|Value\.DataType|Value\.StringValue))$/;
  const unknown = Object.keys(input).filter((key) => !known.test(key));
  if (unknown.length > 0) throw new Error(`Publish: parameters the stand-in does not decode: ${unknown.join(', ')}`);
  const { TopicArn, Subject, Message } = input;
  checkAwsRequest(new PublishCommand({ TopicArn, Subject, Message, MessageAttributes: attributes }), 'stand-in');
  if (world.publishRefused) return [403, errorXml(world.publishRefused, 'not authorized to publish (stand-in)')];
  return [200, '<PublishResponse><PublishResult><MessageId>m1</MessageId></PublishResult></PublishResponse>'];
}

/** STS GetCallerIdentity, shape-checked like the other services' requests. */
function sts(operation: string, params: Record<string, string>, world: StandInWorld): [number, string] {
  const { Action: _action, Version: _version, ...input } = params;
  if (operation !== 'GetCallerIdentity') return [400, errorXml('InvalidAction', `the stand-in does not answer STS ${operation}`)];
  if (Object.keys(input).length > 0) throw new Error(`GetCallerIdentity takes no parameters, got ${Object.keys(input).join(', ')}`);
  checkAwsRequest(new GetCallerIdentityCommand({}), 'stand-in');
  if (world.callerRefused) return [403, errorXml(world.callerRefused, 'The security token included in the request is expired')];
  const arn = world.callerArn ?? `arn:aws:iam::${ACCOUNT}:user/operator`;
  return [
    200,
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn>` +
      `<UserId>AIDEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
  ];
}

function cloudFormation(operation: string, input: Record<string, string>, world: StandInWorld, region: string): [number, string] {
  if (operation !== 'DescribeStacks') return [400, errorXml('InvalidAction', `the stand-in does not answer ${operation}`)];
  checkAwsRequest(new DescribeStacksCommand(input as DescribeStacksCommandInput), 'stand-in');
  if (!world.outputs) return [400, errorXml('ValidationError', `Stack with id ${input.StackName} does not exist`)];
  const outputs = Object.entries(world.outputs)
    .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`)
    .join('');
  return [
    200,
    `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>` +
      `<StackName>${input.StackName}</StackName><StackId>arn:aws:cloudformation:${region}:${ACCOUNT}:stack/${input.StackName}/1</StackId>` +
      `<CreationTime>2026-11-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs>` +
      `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`,
  ];
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`;
}

/** The control stack's outputs for the four workflows, as a deploy in `region` leaves them. */
/** The override table a deploy of this version names in the control stack's output RegionOverrideTableName. */
export const OVERRIDE_TABLE = 'kubecdn-control-RegionOverrides';

export function workflowOutputs(region: string): Record<string, string> {
  const arn = (machine: string) => `arn:aws:states:${region}:${ACCOUNT}:stateMachine:kubecdn-${machine}`;
  return {
    StartRegionStateMachineArn: arn('StartRegion'),
    StopRegionStateMachineArn: arn('StopRegion'),
    PurgeCacheStateMachineArn: arn('PurgeCache'),
    RolloutWorkloadStateMachineArn: arn('RolloutWorkload'),
    UpgradeClustersStateMachineArn: arn('UpgradeClusters'),
    UpgradeRegionStateMachineArn: arn('UpgradeRegion'),
    OperationsTopicArn: `arn:aws:sns:${region}:${ACCOUNT}:kubecdn-operations`,
  };
}
