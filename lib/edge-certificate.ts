import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** Names and zone for a certificate kubecdn requests itself. */
export interface RequestedCertificate {
  /** `dns.domainName`: the certificate's subject. */
  readonly domainName: string;
  /** `dns.alternateNames`: further names on the same certificate. */
  readonly alternateNames: readonly string[];
  /** `dns.hostedZoneId`: where ACM's validation records go; every name must be in this zone. */
  readonly hostedZoneId: string;
}

export interface EdgeCertificateProps {
  /** The operator's own certificate for this region (`https.certificateArns[region]`): nothing is requested then. */
  readonly existingArn?: string;
  /** What to request when there is no existing certificate. */
  readonly request: RequestedCertificate;
}

/**
 * The ACM certificate the region's load balancer presents on 443: the operator's, or a public one
 * requested here and validated through DNS in the configured hosted zone (public ACM certificates
 * are free, and ACM renews a DNS-validated one by itself for as long as the validation records
 * stay). The certificate lives in the region's network stack because a load balancer can only
 * use a certificate of its own region, and because it must outlast the region's cluster: a
 * stopped region keeps it at no cost, so a start never waits for validation.
 */
export class EdgeCertificate extends Construct {
  readonly certificateArn: string;
  /** Undefined when the operator's certificate is used. */
  readonly requested?: acm.Certificate;

  constructor(scope: Construct, id: string, props: EdgeCertificateProps) {
    super(scope, id);
    if (props.existingArn !== undefined) {
      this.certificateArn = props.existingArn;
      return;
    }
    const { domainName, alternateNames, hostedZoneId } = props.request;
    // ACM's DNS validation needs only the zone's id (CloudFormation's DomainValidationOption takes
    // HostedZoneId alone), so the zone's name, which the config does not carry, is not needed.
    const zone = route53.HostedZone.fromHostedZoneId(this, 'HostedZone', hostedZoneId);
    this.requested = new acm.Certificate(this, 'Certificate', {
      domainName,
      subjectAlternativeNames: alternateNames.length > 0 ? [...alternateNames] : undefined,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    this.certificateArn = this.requested.certificateArn;
  }
}
