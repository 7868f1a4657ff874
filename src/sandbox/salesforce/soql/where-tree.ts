/**
 * The WHERE clause of the parser (a right-leaning list with parenthesis counts) rebuilt into a boolean tree, with
 * SOQL's rules: AND and OR cannot be mixed at one level without parentheses, and NOT opens an expression.
 */
import type { Condition, ValueQueryCondition, WhereClause } from '@jetstreamapp/soql-parser-js';

export type LeafCondition = Exclude<Condition, { openParen: number } & Record<string, never>> | ValueQueryCondition;

export type WhereNode =
  | { kind: 'and'; items: WhereNode[] }
  | { kind: 'or'; items: WhereNode[] }
  | { kind: 'not'; item: WhereNode }
  | { kind: 'leaf'; condition: LeafCondition };

type Token = { t: '(' } | { t: ')' } | { t: 'AND' } | { t: 'OR' } | { t: 'NOT' } | { t: 'leaf'; condition: LeafCondition };

function isLeaf(value: unknown): value is LeafCondition {
  return typeof value === 'object' && value !== null && ('field' in value || 'fn' in value);
}

function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node !== undefined) {
    const left: unknown = node.left;
    const operator = 'operator' in node ? node.operator : undefined;
    if (left === null || left === undefined) {
      if (operator === 'NOT') tokens.push({ t: 'NOT' });
    } else if (isLeaf(left)) {
      const open = (left as { openParen?: number }).openParen ?? 0;
      for (let i = 0; i < open; i++) tokens.push({ t: '(' });
      tokens.push({ t: 'leaf', condition: left });
      const close = (left as { closeParen?: number }).closeParen ?? 0;
      for (let i = 0; i < close; i++) tokens.push({ t: ')' });
      if (operator === 'AND' || operator === 'OR') tokens.push({ t: operator });
      else if (operator === 'NOT') tokens.push({ t: 'NOT' });
    } else {
      const open = (left as { openParen?: number }).openParen ?? 0;
      for (let i = 0; i < open; i++) tokens.push({ t: '(' });
      if (operator === 'NOT') tokens.push({ t: 'NOT' });
    }
    node = 'right' in node ? (node.right as WhereClause | undefined) : undefined;
  }
  return tokens;
}

export class WhereSyntaxError extends Error {}

/** Builds the tree; throws WhereSyntaxError with Salesforce's "unexpected token" wording. */
export function buildWhereTree(where: WhereClause): WhereNode {
  const tokens = tokenize(where);
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];

  const parseUnary = (): WhereNode => {
    const tok = tokens[pos];
    if (tok === undefined) throw new WhereSyntaxError('unexpected token: <EOF>');
    pos += 1;
    if (tok.t === 'NOT') return { kind: 'not', item: parseUnary() };
    if (tok.t === '(') {
      const inner = parseExpression();
      if (peek()?.t !== ')') throw new WhereSyntaxError("unexpected token: '('");
      pos += 1;
      return inner;
    }
    if (tok.t === 'leaf') return { kind: 'leaf', condition: tok.condition };
    throw new WhereSyntaxError(`unexpected token: '${tok.t}'`);
  };

  const parseExpression = (): WhereNode => {
    const first = parseUnary();
    const items = [first];
    let op: 'AND' | 'OR' | undefined;
    for (;;) {
      const tok = peek();
      if (tok === undefined || tok.t === ')') break;
      if (tok.t !== 'AND' && tok.t !== 'OR') throw new WhereSyntaxError(`unexpected token: '${tok.t}'`);
      if (op !== undefined && tok.t !== op) throw new WhereSyntaxError(`unexpected token: '${tok.t}'`);
      op = tok.t;
      pos += 1;
      if (peek()?.t === 'NOT') throw new WhereSyntaxError("unexpected token: 'NOT'");
      items.push(parseUnary());
    }
    if (op === undefined) return first;
    return op === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  };

  const tree = parseExpression();
  if (pos !== tokens.length) throw new WhereSyntaxError("unexpected token: ')'");
  return tree;
}
