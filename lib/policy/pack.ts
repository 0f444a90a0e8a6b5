import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  Annotations,
  App,
  Aspects,
  DefaultTokenResolver,
  IAspect,
  IStackSynthesizer,
  ISynthesisSession,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import { IConstruct } from 'constructs';
import { VALIDATION_CODES, ValidationError } from '../core';
import { PolicyFinding, PolicyReport } from './report';
import { PolicyResource, PolicyRule, PolicySeverity, PolicyStackView } from './rule';
import { RULES } from './rules';
import { PolicySuppressions } from './suppressions';

/** A rule and the severity a pack gives it. */
export interface PolicyPackEntry {
  /** The rule. */
  readonly rule: PolicyRule;
  /** Its severity in the pack. */
  readonly severity: PolicySeverity;
}

/** Options of {@link PolicyPack.aiInfra}. */
export interface AiInfraPackOptions {
  /**
   * Severities that replace the pack's defaults, by rule id.
   * @default - the severities of `AI_INFRA_SEVERITIES`
   */
  readonly severities?: { readonly [ruleId: string]: PolicySeverity };
  /**
   * Rule ids left out of the pack.
   * @default - none
   */
  readonly exclude?: string[];
}

/** Options of {@link PolicyPack.applyTo}. */
export interface PolicyApplyOptions {
  /**
   * Write the report next to the stack's `cdk.tf.json` when the app synthesizes
   * (`cdktf.out/stacks/<stack>/policy-report.json`).
   * @default true
   */
  readonly writeReport?: boolean;
  /**
   * File name of the report in the stack's output directory.
   * @default 'policy-report.json'
   */
  readonly reportFileName?: string;
}

/**
 * Default severities of the library's rules: errors for what exposes data or nodes
 * (public buckets and endpoints, IMDSv1, open EFA security groups, privileged pods, unencrypted
 * volumes, stores a destroy would delete), warnings for hardening that has a cost or a
 * legitimate exception.
 */
export const AI_INFRA_SEVERITIES: { readonly [ruleId: string]: PolicySeverity } = {
  's3-public-access': PolicySeverity.ERROR,
  'gcs-uniform-access': PolicySeverity.ERROR,
  'gcs-public-member': PolicySeverity.ERROR,
  's3-kms-encryption': PolicySeverity.WARNING,
  'fsx-kms-encryption': PolicySeverity.WARNING,
  'ebs-encryption': PolicySeverity.ERROR,
  'sns-kms-encryption': PolicySeverity.WARNING,
  'eks-public-endpoint': PolicySeverity.ERROR,
  'gke-private-cluster': PolicySeverity.ERROR,
  'ec2-imdsv2': PolicySeverity.ERROR,
  'ec2-imds-hop-limit': PolicySeverity.WARNING,
  'efa-open-ingress': PolicySeverity.ERROR,
  'stateful-prevent-destroy': PolicySeverity.ERROR,
  'k8s-privileged': PolicySeverity.ERROR,
  'k8s-run-as-non-root': PolicySeverity.WARNING,
  'image-pinned': PolicySeverity.WARNING,
  'helm-chart-version': PolicySeverity.WARNING,
};

const APPLIED = new WeakMap<TerraformStack, Set<string>>();
const REGISTERED = new WeakMap<PolicyPack, WeakSet<TerraformStack>>();
const LAST_REPORT = new WeakMap<PolicyPack, WeakMap<TerraformStack, PolicyReport>>();
const ANNOTATED = new WeakMap<IConstruct, Set<string>>();

/**
 * A set of policy rules with a severity each, applied to stacks as an Aspect, in the manner of
 * cdk-nag's NagPacks. It inspects every Terraform resource of the stack as it will be
 * synthesized, the user's own provider resources included (by Terraform type, so any resource
 * written with the provider bindings, `addOverride` or escape hatches is seen as emitted).
 *
 * Findings become annotations on the offending resource (`[cdktf-ai-infra/policy:<id>] ...`).
 * Unsuppressed errors also fail the stack's validation, so `cdktf synth` and
 * `Testing.synth(stack, true)` fail; warnings do not. Every finding, suppressed ones with their
 * reason, is written to `policy-report.json` next to the stack's `cdk.tf.json`.
 *
 * cdktf 0.21 does not run Aspects added to the App on the resources of its stacks: apply the
 * pack to each stack (`applyTo(stack)`), or call `applyToStacks(app)` after the stacks exist.
 *
 * @example
 * const stack = new TerraformStack(app, 'training');
 * // ... constructs and raw provider resources ...
 * PolicyPack.aiInfra().applyTo(stack);
 */
export class PolicyPack implements IAspect {
  /**
   * The library's pack: every rule it ships, with the severities of `AI_INFRA_SEVERITIES`.
   */
  public static aiInfra(options: AiInfraPackOptions = {}): PolicyPack {
    const severities = { ...AI_INFRA_SEVERITIES, ...(options.severities ?? {}) };
    const known = new Set(RULES.map((r) => r.id));
    for (const id of [...Object.keys(options.severities ?? {}), ...(options.exclude ?? [])]) {
      if (!known.has(id)) {
        throw new ValidationError(
          `PolicyPack.aiInfra: rule id '${id}' (in 'severities' or 'exclude') is not one of the pack's rules: ${[...known].join(', ')}.`,
          undefined,
          VALIDATION_CODES.POLICY_RULE_ID,
        );
      }
    }
    const exclude = new Set(options.exclude ?? []);
    return new PolicyPack(
      'cdktf-ai-infra',
      RULES.filter((r) => !exclude.has(r.id)).map((rule) => ({ rule, severity: severities[rule.id] })),
    );
  }

  /**
   * @param name the pack's name, recorded in the report
   * @param entries the rules and their severities (rule ids must be unique)
   */
  constructor(
    public readonly name: string,
    public readonly entries: readonly PolicyPackEntry[],
  ) {
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.rule.id)) {
        throw new ValidationError(
          `PolicyPack '${name}': rule id '${e.rule.id}' is listed twice.`,
          undefined,
          VALIDATION_CODES.DUPLICATE,
        );
      }
      seen.add(e.rule.id);
    }
  }

  /** A copy of this pack with `rule` added (for example a rule of your own). */
  public withRule(rule: PolicyRule, severity: PolicySeverity): PolicyPack {
    return new PolicyPack(this.name, [...this.entries, { rule, severity }]);
  }

  /**
   * Applies the pack to `stack`: adds it as an Aspect of the stack and, unless
   * `writeReport: false`, writes the report next to the stack's synthesized output.
   */
  public applyTo(stack: TerraformStack, options: PolicyApplyOptions = {}): void {
    const file = options.reportFileName ?? PolicyReport.FILE_NAME;
    if (!/^[A-Za-z0-9._-]+\.json$/.test(file)) {
      throw new ValidationError(
        `'reportFileName' ('${file}') must be a plain file name ending in .json (letters, digits, '.', '_', '-').`,
        stack,
        VALIDATION_CODES.POLICY_REPORT_FILE,
      );
    }
    const applied = APPLIED.get(stack) ?? new Set<string>();
    if (options.writeReport !== false && applied.has(file)) {
      throw new ValidationError(
        `a policy pack already writes '${file}' for this stack: give the second pack another 'reportFileName'.`,
        stack,
        VALIDATION_CODES.POLICY_REPORT_FILE,
      );
    }
    Aspects.of(stack).add(this);
    if (options.writeReport !== false) {
      applied.add(file);
      APPLIED.set(stack, applied);
      stack.synthesizer = new ReportingSynthesizer(stack.synthesizer, stack, this, file);
    }
  }

  /**
   * Applies the pack to every stack that exists under `app` now (stacks added later are not
   * covered).
   */
  public applyToStacks(app: App, options: PolicyApplyOptions = {}): void {
    for (const s of app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
      this.applyTo(s, options);
    }
  }

  /**
   * Aspect entry point: registers the evaluation as a validation of the visited node's stack
   * (the whole stack, also when the Aspect was added to a construct inside it). The evaluation
   * runs after every Aspect, so it sees the final configuration. Prefer `applyTo(stack)`, which
   * also writes the report.
   */
  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    const registered = REGISTERED.get(this) ?? new WeakSet<TerraformStack>();
    REGISTERED.set(this, registered);
    if (registered.has(stack)) {
      return;
    }
    registered.add(stack);
    stack.node.addValidation({ validate: () => this.validate(stack) });
  }

  /**
   * Evaluates every rule on every resource of `stack`, without annotating anything.
   * Suppressions are applied; suppressed findings are kept with their reason.
   */
  public evaluate(stack: TerraformStack): PolicyReport {
    const view = new PolicyStackView(resourcesOf(stack));
    const byType = new Map<string, PolicyPackEntry[]>();
    for (const e of this.entries) {
      for (const t of e.rule.resourceTypes) {
        byType.set(t, [...(byType.get(t) ?? []), e]);
      }
    }
    const findings: PolicyFinding[] = [];
    for (const r of view.resources) {
      for (const e of byType.get(r.type) ?? []) {
        const messages = e.rule.check(r, view);
        if (!messages.length) {
          continue;
        }
        const construct = constructAt(stack, r.path);
        const suppression = construct ? PolicySuppressions.find(construct, e.rule.id) : undefined;
        for (const message of messages) {
          findings.push({
            ruleId: e.rule.id,
            severity: e.severity,
            resourceType: r.type,
            address: r.address,
            constructPath: r.path,
            message,
            suppressed: suppression !== undefined,
            ...(suppression
              ? { suppressionReason: suppression.reason, suppressedAt: suppression.scopePath }
              : {}),
          });
        }
      }
    }
    return new PolicyReport(stack.node.id, this.name, findings);
  }

  /** The report of the last validation of `stack`, if it ran. */
  public lastReport(stack: TerraformStack): PolicyReport | undefined {
    return LAST_REPORT.get(this)?.get(stack);
  }

  private validate(stack: TerraformStack): string[] {
    const report = this.evaluate(stack);
    const reports = LAST_REPORT.get(this) ?? new WeakMap<TerraformStack, PolicyReport>();
    reports.set(stack, report);
    LAST_REPORT.set(this, reports);
    const titles = new Map(this.entries.map((e) => [e.rule.id, e.rule.title]));
    for (const f of [...report.errors, ...report.warnings]) {
      const construct = constructAt(stack, f.constructPath) ?? stack;
      const text = `[cdktf-ai-infra/policy:${f.ruleId}] ${f.address} ${f.message}. Rule: ${titles.get(f.ruleId)}. Fix it, or suppress with PolicySuppressions.addResourceSuppression(scope, '${f.ruleId}', reason).`;
      const done = ANNOTATED.get(construct) ?? new Set<string>();
      if (done.has(text)) {
        continue;
      }
      done.add(text);
      ANNOTATED.set(construct, done);
      if (f.severity === PolicySeverity.ERROR) {
        Annotations.of(construct).addError(text);
      } else {
        Annotations.of(construct).addWarning(text);
      }
    }
    return report.errors.map((f) => `[cdktf-ai-infra/policy:${f.ruleId}] ${f.address}: ${f.message}`);
  }
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Every Terraform resource of `stack` with its synthesized arguments. */
function resourcesOf(stack: TerraformStack): PolicyResource[] {
  const out: PolicyResource[] = [];
  for (const c of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c) || TerraformStack.of(c) !== stack) {
      continue;
    }
    const r = c as TerraformResource;
    const tf = Tokenization.resolve(r.toTerraform(), {
      scope: stack,
      resolver: RESOLVER,
      preparing: false,
    }) as {
      resource?: Record<string, Record<string, Record<string, unknown>>>;
    };
    const config = tf.resource?.[r.terraformResourceType]?.[r.friendlyUniqueId];
    if (!config) {
      continue; // moved away (moveTo): it is synthesized under its new address
    }
    const { ['//']: _metadata, ...args } = config;
    void _metadata;
    out.push({
      type: r.terraformResourceType,
      logicalId: r.friendlyUniqueId,
      address: `${r.terraformResourceType}.${r.friendlyUniqueId}`,
      path: r.node.path,
      config: args,
    });
  }
  return out;
}

/** The construct at `path` under `stack`. */
function constructAt(stack: TerraformStack, path: string): IConstruct | undefined {
  if (path === stack.node.path) {
    return stack;
  }
  const rel = path.startsWith(`${stack.node.path}/`) ? path.slice(stack.node.path.length + 1) : path;
  return rel.split('/').reduce<IConstruct | undefined>((c, id) => c?.node.tryFindChild(id), stack);
}

/** Wraps a stack's synthesizer to write the pack's report next to `cdk.tf.json`. */
class ReportingSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly inner: IStackSynthesizer,
    private readonly stack: TerraformStack,
    private readonly pack: PolicyPack,
    private readonly fileName: string,
  ) {}

  public synthesize(session: ISynthesisSession): void {
    try {
      this.inner.synthesize(session);
    } finally {
      // Written even when the stack's synthesis fails on a policy error, so CI can publish it.
      let report = this.pack.lastReport(this.stack);
      if (!report) {
        try {
          report = this.pack.evaluate(this.stack);
        } catch {
          report = undefined; // the synthesis error that got us here is the one to report
        }
      }
      if (report) {
        const dir = join(session.outdir, session.manifest.forStack(this.stack).workingDirectory);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, this.fileName), report.toJson());
      }
    }
  }
}
