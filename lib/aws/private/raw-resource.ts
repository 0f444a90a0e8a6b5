import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A resource of a provider whose cdktf binding the AWS module does not load (helm,
 * kubernetes): the AWS module must work with `@cdktf/provider-aws` alone. Attributes are given
 * by their Terraform names.
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
