/**
 * cdk-nag names an IAM5 finding after the policy resource as written in the template, with
 * intrinsics flattened. Acknowledging a resource built from tokens (a state machine's ARN) needs
 * that same text, so this mirrors cdk-nag's flattenCfnReference (utils/flatten-cfn-reference).
 */
import type { Stack } from 'aws-cdk-lib';

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const object = node as Record<string, unknown>;
  if (object['Fn::Join']) {
    const [delimiter, items] = object['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (object['Fn::Sub']) return flatten(object['Fn::Sub']);
  if (object['Fn::GetAtt']) {
    const [resource, attribute] = object['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (object['Fn::ImportValue']) return flatten(object['Fn::ImportValue']);
  if (object.Ref) return `<${flatten(object.Ref)}>`;
  return JSON.stringify(node);
}

/** The text cdk-nag shows after `Resource::` for this policy resource. */
export function nagResourceText(stack: Stack, resource: string): string {
  return flatten(stack.resolve(resource));
}
