/**
 * The one CloudWatch Logs group, in the home region, that every edge ships its sampled access-log
 * lines to. Named here so the control stack that creates it, the IAM grant that lets the edge pods
 * write to it and the agent that writes to it cannot disagree.
 */
export function accessLogGroupName(project: string): string {
  return `/kubecdn/${project}/edge-access`;
}
