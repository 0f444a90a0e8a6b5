/**
 * cdktf-ai-infra: CDK for Terraform constructs for production AI infrastructure.
 *
 * The root entry re-exports the cloud-neutral core, the three cloud modules and the policy pack
 * as namespaces.
 * Importing a namespace loads only the provider submodules that module uses; an AWS-only app
 * that does not install `@cdktf/provider-google` should import `cdktf-ai-infra/aws` and
 * `cdktf-ai-infra/core` instead of the root.
 */
export * from './core';
export * as aws from './aws';
export * as gcp from './gcp';
export * as k8s from './k8s';
export * as policy from './policy';
