/**
 * cdktf-ai-infra: CDK for Terraform constructs for production AI infrastructure.
 *
 * The root entry re-exports the cloud-neutral core, the three cloud modules and the policy pack
 * as namespaces (`import { aws, gcp, k8s, policy, Accelerator } from 'cdktf-ai-infra'`). At run
 * time each namespace is loaded on first use (the package's runtime entry is `root.ts`), so an
 * app needs only the provider packages of the namespaces it uses: `aws` needs
 * `@cdktf/provider-aws`, `gcp` `@cdktf/provider-google`, `k8s` `@cdktf/provider-kubernetes` and
 * `@cdktf/provider-helm`; `policy` none. A namespace whose provider package is missing throws a
 * `ValidationError` naming it when the namespace is first used. The subpaths
 * `cdktf-ai-infra/core`, `/aws`, `/gcp`, `/k8s` and `/policy` are the same modules.
 *
 * @packageDocumentation
 */
export * from './core';
export * as aws from './aws';
export * as gcp from './gcp';
export * as k8s from './k8s';
export * as policy from './policy';
