import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A resource of a provider whose cdktf binding a cloud module does not load (a `kubernetes_manifest`
 * from the GCP module, which must work with `@cdktf/provider-google` alone). Attributes are given
 * by their Terraform names. The AWS module has its own copy in `lib/aws/private/raw-resource.ts`.
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
