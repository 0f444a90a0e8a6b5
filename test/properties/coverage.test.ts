import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';

// Every exported construct of lib/{aws,gcp,k8s,core} and every prop of its props interface
// (inherited ones included), and every public `addXxx(..., options)` method's options, has a case
// in the property suites (test/properties/*.test.ts), or an exemption below with its reason.
//
// The library side is read with the TypeScript compiler: one Program over lib/ only, without
// resolving imports outside it (`noResolve`; the provider bindings stay unread) and without a
// type check; the checker only lists the properties of the props types. The suite side is read
// from the source of the suites: each case names what it covers (`covers`, see harness.ts) and
// the props it tries (`props`), both literals.

const ROOT = join(__dirname, '..', '..');
const MODULES = ['aws', 'gcp', 'k8s', 'core'] as const;

/**
 * Props and targets with no property case, each with its reason. Keys are `<target>` (the whole
 * construct or method) or `<target>:<prop path>`. A stale entry (covered now, or no longer in
 * the library) fails the test, so the list only shrinks.
 */
const EXEMPT: Record<string, string> = {
  // Constructs whose props reach them only through another construct's method or factory.
  'aws.WorkloadRole': 'built by EksCluster.addWorkloadRole, whose options are covered there',
  'k8s.SlurmNodeSet': 'built by SlurmCluster.addNodeSet, whose options are covered there',
  'k8s.InferenceModelRoute': 'built by InferenceGateway.addModel, whose options are covered there',
  'k8s.ServiceModelRoute': 'built by InferenceGateway.addServiceModel, whose options are covered there',
};

/**
 * Props whose declared type is a construct (`I…` interface extending IConstruct, or a class that
 * extends Construct) take a reference to another construct (70 props today: `cluster`, `network`,
 * `platform`, `monitoring`, `topic`, ...). TypeScript checks their type, and the constructs' own
 * tests and the import tests (`fromXxxAttributes`) pass real ones; the suites do not try hostile
 * values there. They are left out of the required set by this rule rather than one entry each.
 */
const CONSTRUCT_REFERENCE =
  'takes a construct reference (type-checked; the unit and import tests pass real ones; no hostile values)';

/** One construct's constructor props or one method's options. */
interface Target {
  /** `<module>.<Class>` or `<module>.<Class>.<method>`. */
  readonly id: string;
  /** Required prop paths (top level, and one level into nested option objects the suites try). */
  readonly props: Map<string, ts.Type>;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The suites' cases: for each target, the prop paths (relative to the target's props) tried. */
function coveredPaths(): Map<string, Set<string>> {
  const covered = new Map<string, Set<string>>();
  const dir = __dirname;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.test.ts') && n !== 'coverage.test.ts')) {
    const sf = ts.createSourceFile(f, ts.sys.readFile(join(dir, f)) ?? '', ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const prop = (name: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment =>
              ts.isPropertyAssignment(p) &&
              !ts.isComputedPropertyName(p.name) &&
              propertyName(p.name) === name,
          )?.initializer;
        const covers = prop('covers');
        const props = prop('props');
        if (covers) {
          if (!props || !ts.isObjectLiteralExpression(props)) {
            throw new Error(`${f}:${line(sf, node)}: a case with 'covers' needs a literal 'props'`);
          }
          const paths = props.properties.map((p) => propertyName(p.name!));
          const prefixes: Array<[string, string]> = ts.isStringLiteral(covers)
            ? [[covers.text, '']]
            : ts.isObjectLiteralExpression(covers)
              ? covers.properties.map((p) => [
                  propertyName(p.name!),
                  ((p as ts.PropertyAssignment).initializer as ts.StringLiteral).text,
                ])
              : [];
          if (!prefixes.length) throw new Error(`${f}:${line(sf, node)}: 'covers' must be a literal`);
          for (const [spec, prefix] of prefixes) {
            // `<target>:<path>`: the case's props are the nested props of the target's `<path>`.
            const [target, at] = spec.split(':');
            const set = covered.get(target) ?? new Set<string>();
            // A path belongs to the target with the longest prefix it starts with.
            const longer = prefixes.map(([, q]) => q).filter((q) => q.length > prefix.length);
            for (const p of paths) {
              if (longer.some((q) => p.startsWith(`${q}.`))) continue;
              const own =
                prefix === '' ? p : p.startsWith(`${prefix}.`) ? p.slice(prefix.length + 1) : undefined;
              if (own !== undefined) set.add(at ? `${at}.${own}` : own);
            }
            set.add(''); // the target itself has a case
            covered.set(target, set);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return covered;
}

function propertyName(n: ts.PropertyName): string {
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  throw new Error(`not a literal property name: ${n.getText()}`);
}

function line(sf: ts.SourceFile, n: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
}

/** The library: every construct and `addXxx` method, with its props. */
function libraryTargets(covered: Map<string, Set<string>>): { targets: Target[]; references: string[] } {
  const roots = MODULES.flatMap((m) => tsFiles(join(ROOT, 'lib', m)));
  const program = ts.createProgram(roots, {
    noResolve: true,
    noLib: false,
    lib: ['lib.es5.d.ts'],
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
  });
  const checker = program.getTypeChecker();
  const classes = new Set<ts.ClassDeclaration>();

  /** A class that extends Construct or TerraformStack, directly or through a class of lib. */
  const isConstruct = (d: ts.ClassDeclaration): boolean => {
    const ext = d.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!ext) return false;
    const name = ext.expression.getText();
    if (name === 'Construct' || name === 'TerraformStack') return true;
    const sym = checker.getSymbolAtLocation(ext.expression);
    const decl =
      sym && (sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym).declarations?.[0];
    return !!decl && ts.isClassDeclaration(decl) && isConstruct(decl);
  };
  /** A props type that is a construct reference rather than options. */
  const isReference = (t: ts.Type): boolean => {
    const sym = (t.aliasSymbol ?? t.getSymbol()) as ts.Symbol | undefined;
    const decl = sym?.declarations?.[0];
    if (!decl) return false;
    if (ts.isClassDeclaration(decl)) return isConstruct(decl);
    return ts.isInterfaceDeclaration(decl) && /^I[A-Z]/.test(decl.name.text);
  };
  /** The options type of a parameter, when it is an object type declared in lib. */
  const optionsType = (p: ts.ParameterDeclaration): ts.Type | undefined => {
    const t = checker.getNonNullableType(checker.getTypeAtLocation(p));
    const decl = (t.aliasSymbol ?? t.getSymbol())?.declarations?.[0];
    if (!decl || !decl.getSourceFile().fileName.startsWith(join(ROOT, 'lib'))) return undefined;
    if (isReference(t) || ts.isClassDeclaration(decl) || ts.isEnumDeclaration(decl)) return undefined;
    return t.getProperties().length ? t : undefined;
  };
  const elementType = (t: ts.Type): ts.Type => {
    const n = checker.getNonNullableType(t);
    return checker.isArrayType(n) ? checker.getTypeArguments(n as ts.TypeReference)[0] : n;
  };

  const targets: Target[] = [];
  const references: string[] = [];
  const propsOf = (id: string, t: ts.Type): Map<string, ts.Type> => {
    const out = new Map<string, ts.Type>();
    const tried = covered.get(id) ?? new Set<string>();
    for (const s of checker.getPropertiesOfType(t)) {
      const pt = checker.getTypeOfSymbol(s);
      if (isReference(elementType(pt))) {
        references.push(`${id}:${s.name}`);
        continue;
      }
      out.set(s.name, pt);
      // One level into a nested option object (or an array of them) where a case tries a nested path.
      const nested = [...tried].some((p) => p.startsWith(`${s.name}.`));
      const et = elementType(pt);
      const decl = (et.aliasSymbol ?? et.getSymbol())?.declarations?.[0];
      const inLib = !!decl && decl.getSourceFile().fileName.startsWith(join(ROOT, 'lib'));
      if (nested && inLib && !ts.isClassDeclaration(decl!) && !isReference(et)) {
        for (const n of checker.getPropertiesOfType(et)) {
          if (isReference(elementType(checker.getTypeOfSymbol(n)))) {
            references.push(`${id}:${s.name}.${n.name}`);
          } else out.set(`${s.name}.${n.name}`, checker.getTypeOfSymbol(n));
        }
      }
    }
    return out;
  };

  for (const m of MODULES) {
    const index = program.getSourceFile(join(ROOT, 'lib', m, 'index.ts'))!;
    for (const e of checker.getExportsOfModule(checker.getSymbolAtLocation(index)!)) {
      const sym = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      const decl = sym.declarations?.[0];
      if (!decl || !ts.isClassDeclaration(decl) || !isConstruct(decl) || classes.has(decl)) continue;
      classes.add(decl);
      const name = `${m}.${e.name}`;
      const ctor = decl.members.find(ts.isConstructorDeclaration);
      const publicCtor =
        !ctor ||
        !(ts.getCombinedModifierFlags(ctor) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
      const params = (ctor?.parameters.slice(2) ?? []).map(
        (p) => [p.name.getText(), optionsType(p)] as const,
      );
      const options = params.filter(([, t]) => t);
      if (publicCtor && options.length) {
        const props = new Map<string, ts.Type>();
        for (const [pname, t] of options) {
          const id = name;
          for (const [k, v] of propsOf(id, t!)) props.set(options.length > 1 ? `${pname}.${k}` : k, v);
        }
        targets.push({ id: name, props });
      }
      for (const member of decl.members) {
        if (!ts.isMethodDeclaration(member) || !/^add[A-Z]/.test(member.name.getText())) continue;
        if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
          continue;
        const last = member.parameters[member.parameters.length - 1];
        const t = last && optionsType(last);
        if (!t) continue;
        const id = `${name}.${member.name.getText()}`;
        targets.push({ id, props: propsOf(id, t) });
      }
    }
  }
  return { targets, references };
}

describe('property suites cover every construct and prop', () => {
  const covered = coveredPaths();
  const { targets, references } = libraryTargets(covered);

  const isCovered = (target: string, path: string): boolean => {
    const tried = covered.get(target);
    if (!tried) return false;
    const parts = path.split('.');
    // `a.b` is tried as `a.b`, `a.0.b` (an array of options) or anything below either.
    const forms = parts.length === 1 ? [path] : [path, `${parts[0]}.0.${parts.slice(1).join('.')}`];
    return [...tried].some((p) => forms.some((f) => p === f || p.startsWith(`${f}.`)));
  };

  test('every construct, method and prop has a case or an exemption', () => {
    const missing: string[] = [];
    for (const t of targets) {
      if (EXEMPT[t.id]) continue;
      if (!covered.has(t.id)) {
        missing.push(`${t.id} (no case)`);
        continue;
      }
      for (const p of t.props.keys()) {
        if (!isCovered(t.id, p) && !EXEMPT[`${t.id}:${p}`]) missing.push(`${t.id}:${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('every case names a target and props that exist, and every exemption is still needed', () => {
    const byId = new Map(targets.map((t) => [t.id, t]));
    const unknown: string[] = [];
    for (const [target, paths] of covered) {
      const t = byId.get(target);
      if (!t) {
        unknown.push(`covers '${target}': no such construct or method`);
        continue;
      }
      for (const p of paths) {
        const top = p.split('.')[0];
        if (p && !t.props.has(top) && !references.includes(`${target}:${top}`))
          unknown.push(`${target}: '${p}' is not a prop`);
      }
    }
    for (const key of Object.keys(EXEMPT)) {
      const [target, path] = key.split(':');
      const t = byId.get(target);
      if (!t) unknown.push(`exemption '${key}': no such construct or method`);
      else if (path === undefined ? covered.has(target) : !t.props.has(path) || isCovered(target, path))
        unknown.push(`exemption '${key}' is stale`);
    }
    expect(unknown).toEqual([]);
  });

  test(`props left out by the rule: ${CONSTRUCT_REFERENCE}`, () => {
    // A spot check that the rule keys on the type and not the name.
    expect(references).toEqual(expect.arrayContaining(['aws.EksCluster:network', 'k8s.NvSentinel:platform']));
    expect(references.every((r) => !/:(accelerator|capacity|sizing)$/.test(r))).toBe(true);
  });

  // Its cost is measured by the suite's durations (test/durations.json), not asserted here: a timed
  // assertion fails on a loaded machine for reasons unrelated to the code.
  test('reads the library: more than 60 constructs', () => {
    expect(targets.length).toBeGreaterThan(60);
  });
});
