import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A resource of a provider whose cdktf binding a cloud module does not load (`helm_release` or
 * `kubernetes_manifest` from the AWS or GCP module, which must work with its own provider package
 * alone). Attributes are given by their Terraform names.
 */
export class RawTerraformResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    type: string,
    provider: string,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: provider } });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { ...this.attributes };
  }
}

/** A `helm_release` of the hashicorp/helm provider, written without its cdktf binding. */
export class HelmReleaseResource extends RawTerraformResource {
  constructor(scope: Construct, id: string, attributes: Record<string, unknown>) {
    super(scope, id, 'helm_release', 'helm', attributes);
  }
}
