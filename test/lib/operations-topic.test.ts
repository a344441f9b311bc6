import { Match, Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../core/config';
import { minimalConfigInput, validConfig } from '../support/configs';
import { buildApp } from '../support/synth';

type Level = 'all' | 'warnings' | 'errors';

function controlTemplate(notifications: { emails: string[]; level?: Level }): Template {
  return Template.fromStack(buildApp(validConfig((c) => (c.notifications = notifications))).stacks.control);
}

function operationsTopicId(template: Template): string {
  return Object.keys(template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'kubecdn operations' } }))[0]!;
}

describe('the operations topic e-mail subscriptions', () => {
  it('receive warnings and errors by default: routine starts and stops are not e-mailed', () => {
    const template = controlTemplate({ emails: ['ops@example.com', 'oncall@example.com'] });
    for (const email of ['ops@example.com', 'oncall@example.com'])
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: operationsTopicId(template) },
        FilterPolicy: { severity: ['warning', 'error'] },
      });
  });

  it('receive only errors at level "errors"', () => {
    const template = controlTemplate({ emails: ['ops@example.com'], level: 'errors' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: operationsTopicId(template) },
      FilterPolicy: { severity: ['error'] },
    });
  });

  it('receive every message, with no filter policy, at level "all"', () => {
    const template = controlTemplate({ emails: ['ops@example.com'], level: 'all' });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: operationsTopicId(template) },
      FilterPolicy: Match.absent(),
    });
  });

  it('leave the topic itself unfiltered: no subscription but the e-mail ones has a filter', () => {
    const template = controlTemplate({ emails: ['ops@example.com'], level: 'errors' });
    const filtered = Object.values(template.findResources('AWS::SNS::Subscription', { Properties: { FilterPolicy: Match.anyValue() } }));
    expect(filtered.map((s) => (s as { Properties: { Protocol: string } }).Properties.Protocol)).toEqual(['email']);
  });

  it('make no alarm e-mail topic when nobody is e-mailed', () => {
    const template = controlTemplate({ emails: [] });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('notifications.level in the config', () => {
  it('defaults to warnings', () => {
    expect(validConfig().notifications.level).toBe('warnings');
  });

  it('refuses an unknown level, naming the field and the choices', () => {
    const input = minimalConfigInput();
    input.notifications = { emails: [], level: 'warning' as never };
    expect(validateConfig(input)).toEqual({
      ok: false,
      problems: [{ path: '$.notifications.level', message: 'expected "all", "warnings" (warnings and errors) or "errors"' }],
    });
  });
});
