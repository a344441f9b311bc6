/**
 * Where the edges' sampled access logs go: one CloudWatch Logs group in the home region, created
 * by the control stack with the configured retention, and one stream per pod whose name states
 * the sample rate, so a reader knows how to scale a count up even before reading a line. Named
 * here so the control stack, the IAM grant that lets the edge pods write and the agent that
 * writes cannot disagree.
 */
export function accessLogGroupName(project: string): string {
  return `/kubecdn/${project}/edge-access`;
}

/** `<edge region>/<pod name>/sampled-<rate>`, e.g. `eu-west-1/edge-nginx-7c9f-x2x4p/sampled-0.01`. */
export function accessLogStreamName(edgeRegion: string, podName: string, sampleRate: number): string {
  return `${edgeRegion}/${podName}/sampled-${sampleRate}`;
}
