import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { TerraformDataSource, TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';
import { addStackProvider } from './common';

/** terraform-provider-http, pinned (registry.terraform.io/providers/hashicorp/http, 3.5.0; checked 2026-12-03). */
const HTTP_PROVIDER_VERSION = '3.5.0';
const HTTP_PROVIDER_ID = 'CdktfAiInfraHttpProvider';

/** The hashicorp/http provider (no cdktf binding exists at the pinned cdktf; it takes no configuration). */
const HTTP_PROVIDER = { name: 'http', version: HTTP_PROVIDER_VERSION, source: 'hashicorp/http' };

/**
 * A pinned multi-document YAML manifest read at plan time by the `http` data source `<id>Source`
 * (the stack's one http provider added): the Terraform expression of its decoded documents.
 */
export function fetchedManifestDocuments(scope: Construct, id: string, url: string): string {
  const source = new TerraformDataSource(scope, `${id}Source`, {
    terraformResourceType: 'http',
    terraformGeneratorMetadata: { providerName: 'http' },
  });
  source.addOverride('url', url);
  source.addOverride('request_headers', { Accept: 'application/yaml' });
  addStackProvider(scope, HTTP_PROVIDER_ID, HTTP_PROVIDER);
  return `provider::kubernetes::manifest_decode_multi(data.http.${source.friendlyUniqueId}.response_body)`;
}

/** The two halves of an applied upstream manifest bundle. */
export interface AppliedBundle {
  /** The CustomResourceDefinitions (protected from destroy). */
  readonly crds: Manifest;
  /** Everything else (namespace, RBAC, controller). */
  readonly objects: Manifest;
}

/**
 * Applies a pinned multi-document YAML release manifest: Terraform's `http` data source reads it
 * at plan time and one `kubernetes_manifest` per document (keyed `Kind/name`) applies it. The
 * CRDs are a separate resource with `prevent_destroy` (deleting a CRD deletes every object of its
 * kind); the rest depends on them. A generated `status` stanza is dropped.
 */
export function applyManifestBundle(scope: Construct, id: string, url: string): AppliedBundle {
  const body = fetchedManifestDocuments(scope, id, url);
  const select = (cond: string) =>
    TerraformIterator.fromMap(
      Token.asAnyMap(
        `\${{ for m in ${body} : "\${m.kind}/\${m.metadata.name}" => { for k, v in m : k => v if k != "status" } if ${cond} }}`,
      ),
    );
  const crdDocs = select('m.kind == "CustomResourceDefinition"');
  const crds = new Manifest(scope, `${id}Crds`, {
    forEach: crdDocs,
    manifest: crdDocs.value,
    lifecycle: { preventDestroy: true },
  });
  const otherDocs = select('m.kind != "CustomResourceDefinition"');
  const objects = new Manifest(scope, id, {
    forEach: otherDocs,
    manifest: otherDocs.value,
    dependsOn: [crds],
  });
  return { crds, objects };
}
