import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { addStackProvider } from './common';

/**
 * terraform-provider-random, pinned (registry.terraform.io/providers/hashicorp/random; 3.7.1
 * adds the ephemeral `random_password`, the managed resource used here exists since 2.2.0;
 * checked 2026-12-03). No cdktf binding is a dependency of this library, so the provider and
 * the resource are declared raw, as `manifest-bundle.ts` does for hashicorp/http.
 */
const RANDOM_PROVIDER_VERSION = '3.7.1';
const RANDOM_PROVIDER_ID = 'CdktfAiInfraRandomProvider';

/** The hashicorp/random provider (it takes no configuration). */
const RANDOM_PROVIDER = { name: 'random', version: RANDOM_PROVIDER_VERSION, source: 'hashicorp/random' };

/**
 * A `random_password` of `length` printable ASCII characters (letters, digits and the provider's
 * default special characters), generated once at apply and kept in the Terraform state. Returns
 * the resource and its `result` attribute.
 */
export function randomPassword(
  scope: Construct,
  id: string,
  length: number,
): { resource: TerraformResource; result: string } {
  addStackProvider(scope, RANDOM_PROVIDER_ID, RANDOM_PROVIDER);
  const resource = new TerraformResource(scope, id, {
    terraformResourceType: 'random_password',
    terraformGeneratorMetadata: { providerName: 'random' },
  });
  resource.addOverride('length', length);
  resource.addOverride('special', true);
  return { resource, result: resource.getStringAttribute('result') };
}
