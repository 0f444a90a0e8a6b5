import { Token } from 'cdktf';

/**
 * Escapes literal text for a Terraform JSON string: `${` and `%{` start template interpolation
 * and directives there, so text meant for the cloud API (Cloud Monitoring's
 * `${metric.label.gpu}` documentation variables) must be written `$${` and `%%{`. Strings
 * holding cdktf tokens are returned unchanged: their `${...}` are meant for Terraform.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#template-expressions
 */
export function escapeTerraformTemplate(text: string): string {
  if (Token.isUnresolved(text)) {
    return text;
  }
  return text.replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);
}
