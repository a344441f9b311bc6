/** Every AWS request of every test is checked, and a refused one fails the test that made it. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { ledger, takeRefusedRequests } from './checked-requests';
import { checkIntegrationRequest } from './integration-requests';
import { summarize } from './request-count-report';

describe('the request check on every send', () => {
  it('refuses a bad request through aws-sdk-client-mock before the mocked behaviour runs, also after a reset, and records it', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const before = ledger().checked.get('Publish') ?? 0;
    await expect(new SNSClient({}).send(new PublishCommand({ TopicArn: 't', Message: { a: 1 } as never }))).rejects.toMatchObject({
      name: 'MalformedRequest',
      message: 'mocked SDK request real AWS would reject: Publish$.Message: must be a string, got a map',
    });
    await new SNSClient({}).send(new PublishCommand({ TopicArn: 't', Message: 'm' }));
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(ledger().checked.get('Publish')).toBe(before + 2);
    expect(takeRefusedRequests()).toEqual(['mocked SDK request real AWS would reject: Publish$.Message: must be a string, got a map']);
    sns.reset();
    await expect(new SNSClient({}).send(new PublishCommand({ Message: 7 as never }))).rejects.toMatchObject({ name: 'MalformedRequest' });
    expect(takeRefusedRequests()).toEqual([
      'mocked SDK request real AWS would reject: Publish$.Message: must be a string, got the number 7',
    ]);
    sns.restore();
  });

  it('refuses a bad request through an unmocked client before it leaves', async () => {
    await expect(new EKSClient({ region: 'eu-west-1' }).send(new DescribeClusterCommand({} as never))).rejects.toMatchObject({
      name: 'MalformedRequest',
    });
    expect(takeRefusedRequests()).toEqual(['SDK request real AWS would reject: DescribeCluster$.name: required by DescribeClusterRequest']);
  });

  it('checks Step Functions integrations as their API, after serializing the JSON they accept in place of a string', () => {
    expect(() =>
      checkIntegrationRequest('arn:aws:states:::dynamodb:deleteItem', { TableName: 't', Key: { region: { S: 'r' } }, ReturnValues: 'ALL' }),
    ).toThrow(
      /^Step Functions dynamodb:deleteItem request real AWS would reject: DeleteItem\$\.ReturnValues: "ALL" is not a value of ReturnValue/,
    );
    expect(takeRefusedRequests()).toHaveLength(1);
    checkIntegrationRequest('arn:aws:states:::sns:publish', { TopicArn: 't', Message: { step: 'x' } });
    checkIntegrationRequest('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: 'a', Input: { region: 'r' } });
    expect(() => checkIntegrationRequest('arn:aws:states:::states:startExecution', { stateMachineArn: 'a' })).toThrow(
      'StartExecution$.stateMachineArn (Step Functions takes PascalCase parameter names): not a member of StartExecutionInput',
    );
    expect(takeRefusedRequests()).toHaveLength(1);
    expect(() => checkIntegrationRequest('arn:aws:states:::sqs:sendMessage', {})).toThrow(/cannot check the request of Task resource/);
  });

  it('sums the counts of every test file', () => {
    const summary = summarize([
      { testFile: 'a.test.ts', checked: { PutItem: 3, Publish: 1 }, refused: 1, failedTests: 0 },
      { testFile: 'b.test.ts', checked: { PutItem: 2 }, refused: 0, failedTests: 0 },
      { testFile: 'c.test.ts', checked: {}, refused: 0, failedTests: 0 },
    ]);
    expect(summary.split('\n')).toEqual([
      'AWS requests checked: 6 in 2 of 3 test files, 2 operations',
      'refused: 1 (0 failed a test, 1 expected by a test that makes bad requests on purpose)',
      '        5 PutItem',
      '        1 Publish',
    ]);
  });

  it('fails each test that made a bad request, even one that swallowed the error, and counts the run', async () => {
    const root = path.resolve(__dirname, '../../..');
    const jest = require.resolve('jest/bin/jest');
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kubecdn-fixture-')), 'results.json');
    const run = await promisify(execFile)(
      process.execPath,
      [jest, '--ci', '--json', `--outputFile=${json}`, '--testMatch', '**/aws-requests/fixtures/refused-requests.fixture.ts'],
      { cwd: root, env: { ...process.env, KUBECDN_REPORT_REQUESTS: '1' }, maxBuffer: 16 * 1024 * 1024 },
    ).catch((failed: { stdout: string; stderr: string }) => failed);
    const results = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
    };
    const outcome = Object.fromEntries(
      results.testResults[0]!.assertionResults.map((r) => [
        r.title,
        r.status === 'failed' ? r.failureMessages.join('\n').split('\n')[1] : r.status,
      ]),
    );
    expect(outcome).toEqual({
      'bad request through aws-sdk-client-mock':
        '- mocked SDK request real AWS would reject: Publish$.Subjcet: not a member of PublishInput (members: Message, TopicArn, TargetArn, PhoneNumber, Subject, MessageStructure, MessageAttributes, MessageDeduplicationId, MessageGroupId)',
      'bad request to the simulated world':
        '- mocked SDK request real AWS would reject: DescribeCluster$.name: must be a string, got the number 3',
      'bad Step Functions integration request':
        '- Step Functions dynamodb:putItem request real AWS would reject: PutItem$.Item.expiresAt.N: must be a string, got the number 5',
      'good requests': 'passed',
    });
    const directory = /\(per file: (.+)\)/.exec(run.stdout)![1]!;
    expect(fs.readFileSync(path.join(directory, 'summary.txt'), 'utf8').split('\n').slice(0, 2)).toEqual([
      'AWS requests checked: 5 in 1 of 1 test files, 4 operations',
      'refused: 3 (3 failed a test, 0 expected by a test that makes bad requests on purpose)',
    ]);
    fs.rmSync(directory, { recursive: true });
    fs.rmSync(path.dirname(json), { recursive: true });
  }, 120_000);
});
