import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import { Validate, ValidationError } from '../../core';

/** Characters PromQL's lexer accepts outside string literals (promql/parser/lex.go). */
const PROMQL_CHARS = /^[A-Za-z0-9_:.\s()[\]{},+\-*/%^=!<>~@#]$/;

/** The part of @prometheus-io/lezer-promql's parser this file reads. */
interface PromqlParser {
  parse(input: string): {
    iterate(spec: { enter(node: { type: { isError: boolean }; from: number }): boolean | void }): void;
  };
}
let promqlParser: PromqlParser | undefined;

/**
 * The first position (0-based) where Prometheus's own PromQL grammar (@prometheus-io/lezer-promql,
 * the Lezer grammar the Prometheus project publishes) finds an error, or undefined when `expr`
 * parses. Loaded on first use: only apps that pass a PromQL query pay for it.
 */
function promqlErrorAt(expr: string): number | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  promqlParser ??= (require('@prometheus-io/lezer-promql') as { parser: PromqlParser }).parser;
  let at: number | undefined;
  promqlParser.parse(expr).iterate({
    enter: (n) => {
      if (at !== undefined) return false;
      if (n.type.isError) at = n.from;
      return undefined;
    },
  });
  return at;
}

/**
 * Checks a PromQL expression the library passes on to another program (a KEDA trigger query): a
 * non-blank string whose string literals are closed, whose brackets `()`, `[]` and `{}` nest and
 * close, whose characters outside strings are ones PromQL's lexer knows, whose every `{...}` is
 * a valid selector ({@link Validate.promqlSelector}), that names at least one metric or
 * selector (each with a message that says which), and that Prometheus's own PromQL grammar
 * parses.
 */
export function assertPromqlExpression(scope: IConstruct, prop: string, value: unknown): string {
  Validate.string(scope, prop, value);
  const expr = value as string;
  if (Token.isUnresolved(expr)) return expr;
  const fail = (why: string): never => {
    throw new ValidationError(
      `'${prop}' (${JSON.stringify(expr)}) is not a PromQL expression (${why}): write a query such as ` +
        `'sum(llm_d_epp_flow_control_queue_size{namespace="llm"})'.`,
      scope,
    );
  };
  const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: Array<{ open: string; at: number }> = [];
  let hasIdentifier = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\n' && c !== '`') fail(`a line break in the string starting at ${i + 1}`);
        j += c !== '`' && expr[j] === '\\' ? 2 : 1;
      }
      if (j >= expr.length) fail(`the string starting at character ${i + 1} is not closed`);
      i = j;
      continue;
    }
    if (c === '#') break; // a comment runs to the end of the line; KEDA sends one line
    if (!PROMQL_CHARS.test(c)) fail(`character ${JSON.stringify(c)} at ${i + 1}`);
    if (/[A-Za-z_:]/.test(c)) hasIdentifier = true;
    if (c in closers) {
      stack.push({ open: c, at: i });
    } else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (!top || closers[top.open] !== c) fail(`unmatched '${c}' at character ${i + 1}`);
      if (c === '}') {
        const name = /[A-Za-z_:][A-Za-z0-9_:]*$/.exec(expr.slice(0, top!.at))?.[0] ?? '';
        const selector = `${name}${expr.slice(top!.at, i + 1)}`;
        try {
          Validate.promqlSelector(undefined, prop, selector);
        } catch {
          fail(`the selector ${JSON.stringify(selector)} is not valid`);
        }
      }
    }
  }
  if (stack.length)
    fail(`'${stack[stack.length - 1].open}' at character ${stack[stack.length - 1].at + 1} is not closed`);
  if (!hasIdentifier) fail('it names no metric');
  const at = promqlErrorAt(expr);
  if (at !== undefined) fail(`Prometheus's PromQL grammar finds an error at character ${at + 1}`);
  return expr;
}
