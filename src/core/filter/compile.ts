// Compiles a display filter into closures: a fast path over the packet index (yes / no / unknown
// per row) and a tree path for the rows the index cannot decide. No eval: closures only.

import type { Registry } from '../dissect/registry';
import { resolveField, undecodedProtocol, type FieldInfo } from './catalogue';
import { Bound, comparePlan, existsPlan, gatePlan, NO, UNKNOWN, YES, type Chunk, type FilterContext, type IndexPlan, type RowFn } from './index-terms';
import type { FilterError } from './lexer';
import { isFilterError, parseFilter, type Expr, type FieldTerm, type Quantifier, type Relation, type SetItem, type ValueTerm } from './parser';
import { Occurrences, type PacketTree } from './tree-terms';
import { compileRegex, parseInteger, parseLiteral, relationPred, reprOf, typeNames, type Literal, type Pred, type Regex, type Scalar } from './values';

export type { FilterError } from './lexer';
export type { FilterContext } from './index-terms';
export type { PacketTree } from './tree-terms';
export { isFilterError } from './parser';

export interface CompiledFilter {
  readonly text: string;
  /**
   * True when some packets may have to be re-dissected (a field the index does not hold, or a row
   * the index cannot vouch for: tunnels, ICMP errors, damaged packets). False: the index answers
   * every packet.
   */
  readonly needsTree: boolean;
  /** Notes that do not stop the filter (a protocol WireLadder does not decode matches nothing). */
  readonly warnings: readonly string[];
  /** The fields the filter reads from field trees. */
  readonly fields: ReadonlySet<string>;
  /**
   * Prepares the filter for one run over a capture's index. `treeOnly` makes matchTree ignore the
   * index (a check that both paths agree; the fast verdicts are unchanged).
   */
  bind(ctx: FilterContext, opts?: { treeOnly?: boolean }): BoundFilter;
}

export interface BoundFilter {
  /** The index's verdict for a row: NO (0), YES (1) or UNKNOWN (2: needs the tree). */
  readonly fast: RowFn;
  /** The verdict for a row, or null when its field tree is needed. */
  test(row: number): boolean | null;
  /** The full verdict for a row given its field tree (index answers are used where they exist). */
  matchTree(tree: PacketTree, row: number): boolean;
}

/** A compiled node, ready to be bound to a capture. */
interface Node {
  /** The fast path never answers UNKNOWN. */
  exact: boolean;
  /** Bound form: the fast path, and the tree path for where it answers UNKNOWN. */
  bind(b: Bound, treeOnly: boolean): BoundNode;
}

interface BoundNode {
  fast: RowFn;
  tree: (c: Chunk, i: number, row: number, occ: Occurrences) => boolean;
}

class CompileFailure extends Error {
  constructor(readonly failure: FilterError) {
    super(failure.error);
  }
}

/** Compiles `text` (a Wireshark 4.0 display filter) against the fields `registry` declares. */
export function compileFilter(text: string, registry: Registry): CompiledFilter | FilterError {
  const ast = parseFilter(text);
  if (isFilterError(ast)) return ast;
  const wanted = new Set<string>();
  const warnings: string[] = [];
  const c = new Compiler(registry, wanted, warnings);
  let root: Node;
  try {
    root = c.node(ast);
  } catch (err) {
    if (err instanceof CompileFailure) return err.failure;
    throw err;
  }
  return {
    text,
    needsTree: !root.exact,
    warnings,
    fields: wanted,
    bind(ctx: FilterContext, opts: { treeOnly?: boolean } = {}): BoundFilter {
      const b = new Bound(ctx);
      const bound = root.bind(b, opts.treeOnly === true);
      const fast = bound.fast;
      const index = ctx.index;
      return {
        fast,
        test(row: number): boolean | null {
          const chunk = index.chunk(row >>> 16)!;
          const v = fast(chunk, row & 0xffff, row);
          return v === UNKNOWN ? null : v === YES;
        },
        matchTree(tree: PacketTree, row: number): boolean {
          const chunk = index.chunk(row >>> 16)!;
          return bound.tree(chunk, row & 0xffff, row, new Occurrences(tree, wanted));
        },
      };
    },
  };
}

class Compiler {
  constructor(
    private readonly registry: Registry,
    private readonly wanted: Set<string>,
    private readonly warnings: string[],
  ) {}

  node(e: Expr): Node {
    switch (e.type) {
      case 'and':
      case 'or':
      case 'xor':
        return logic(e.type, this.node(e.left), this.node(e.right));
      case 'not':
        return negate(this.node(e.expr));
      case 'exists':
        return this.exists(e.field);
      case 'compare':
        return this.compare(e.field, e.relation, e.quantifier, e.op, e.value);
      case 'in':
        return this.inSet(e.field, e.items);
    }
  }

  private field(name: string): FieldInfo | null {
    const info = resolveField(name, this.registry);
    if (info !== null) for (const n of info.treeNames) this.wanted.add(n);
    return info;
  }

  /** Resolves the field of a test, or fails with Wireshark's message (or warns for undecoded protocols). */
  private lhs(term: FieldTerm): FieldInfo | 'undecoded' {
    const info = resolveField(term.name, this.registry);
    if (info === null) {
      const undecoded = undecodedProtocol(term.name);
      if (undecoded !== null && term.name === undecoded) {
        this.warnings.push(`WireLadder does not decode ${undecoded}: "${term.name}" matches no packet.`);
        return 'undecoded';
      }
      const hint = undecoded !== null ? ` WireLadder does not decode ${undecoded}.` : '';
      throw new CompileFailure({ error: `"${term.name}" is neither a field nor a protocol name.${hint}`, position: term.pos });
    }
    for (const n of info.treeNames) this.wanted.add(n);
    return info;
  }

  private mask(term: FieldTerm, info: FieldInfo): number | null {
    if (term.mask === null) return null;
    if (info.type !== 'uint' && info.type !== 'int' && info.type !== 'bool' && info.type !== 'framenum') {
      throw new CompileFailure({ error: `${info.name} (type=${typeNames[info.type]}) cannot participate in a bitwise and.`, position: term.pos });
    }
    const v = term.mask.kind === 'word' ? parseInteger(term.mask.text) : null;
    if (v === null) throw new CompileFailure({ error: `"${term.mask.text}" is not a valid number.`, position: term.mask.pos });
    return v >>> 0;
  }

  private exists(term: FieldTerm): Node {
    const info = this.lhs(term);
    if (info === 'undecoded') return constant(false);
    if (term.slice !== null) {
      const { start, length } = term.slice;
      return leaf(slicePlan(info), (occ) => occ.sliced(info, start, length).length > 0);
    }
    const mask = this.mask(term, info);
    if (mask !== null) {
      // `tcp.flags & 0x02`: some occurrence has a masked bit set.
      return leaf(comparePlan(info, (v) => v !== 0, 'any', mask), (occ) => occ.values(info).some((v) => ((v as number) & mask) >>> 0 !== 0));
    }
    return leaf(existsPlan(info), (occ) => occ.of(info).length > 0);
  }

  private literal(info: FieldInfo, term: ValueTerm): Literal {
    const lit = parseLiteral(term, info.type, info.name, info.def);
    if (isFilterError(lit)) throw new CompileFailure(lit);
    return lit;
  }

  private compare(term: FieldTerm, relation: Relation, quantifier: Quantifier, op: string, value: ValueTerm): Node {
    const info = this.lhs(term);
    if (info === 'undecoded') return constant(false);
    if (term.slice !== null) return this.sliceCompare(term, info, relation, quantifier, value);
    const mask = this.mask(term, info);
    const repr = reprOf(info.type);
    if (repr === 'none') {
      throw new CompileFailure({ error: `${info.name} (type=${typeNames[info.type]}) cannot participate in '${op}' comparison.`, position: term.pos });
    }
    if ((relation === 'contains' || relation === 'matches') && repr !== 'str' && repr !== 'bytes') {
      throw new CompileFailure({ error: `${info.name} (type=${typeNames[info.type]}) cannot participate in ${relation} comparison.`, position: term.pos });
    }
    if (relation !== 'eq' && relation !== 'ne' && info.type === 'bool') {
      throw new CompileFailure({ error: `${info.name} (type=${typeNames[info.type]}) cannot participate in '${op}' comparison.`, position: term.pos });
    }
    // An unquoted word naming a field on the right compares two fields (tree path).
    if (value.kind === 'word' && relation !== 'matches') {
      const other = this.field(value.text);
      if (other !== null) return this.fieldToField(info, other, relation, quantifier, term, value);
    }
    let literal: Literal | Regex;
    if (relation === 'matches') {
      literal = regexOf(value);
    } else if (relation === 'contains' && repr === 'str') {
      literal = { value: value.text, prefix: null };
    } else {
      literal = this.literal(info, value);
      if (literal.prefix !== null && relation !== 'eq' && relation !== 'ne') {
        throw new CompileFailure({ error: `A network (${value.text}) can only be compared with == or !=.`, position: value.pos });
      }
    }
    const pred = relationPred(relation, literal, repr);
    return this.predicate(info, pred, quantifier, mask);
  }

  /** `frame[54:2] == 01:02`: the slice's bytes against a byte string (or a quoted string's bytes). */
  private sliceCompare(term: FieldTerm, info: FieldInfo, relation: Relation, quantifier: Quantifier, value: ValueTerm): Node {
    if (term.mask !== null) throw new CompileFailure({ error: 'A slice cannot take a bitwise and.', position: term.pos });
    let literal: Literal | Regex;
    if (relation === 'matches') {
      literal = regexOf(value);
    } else {
      const lit = parseLiteral(value, 'bytes', info.name, null);
      if (isFilterError(lit)) throw new CompileFailure(lit);
      literal = lit;
    }
    const pred = relationPred(relation, literal, 'bytes');
    const { start, length } = term.slice!;
    const any = quantifier === 'any';
    return leaf(slicePlan(info), (occ) => {
      const values = occ.sliced(info, start, length);
      if (values.length === 0) return false;
      for (const v of values) if (pred(v) === any) return any;
      return !any;
    });
  }

  private predicate(info: FieldInfo, pred: Pred, quantifier: Quantifier, mask: number | null): Node {
    const test: Pred = mask === null ? pred : (v) => pred(((v as number) & mask) >>> 0);
    const any = quantifier === 'any';
    return leaf(comparePlan(info, pred, quantifier, mask), (occ) => {
      const values = occ.values(info);
      if (values.length === 0) return false;
      for (const v of values) if (test(v) === any) return any;
      return !any;
    });
  }

  private inSet(term: FieldTerm, items: SetItem[]): Node {
    const info = this.lhs(term);
    if (info === 'undecoded') return constant(false);
    if (term.slice !== null) throw new CompileFailure({ error: 'A slice cannot be tested with "in"; compare it with == instead.', position: term.pos });
    const mask = this.mask(term, info);
    const repr = reprOf(info.type);
    if (repr === 'none') throw new CompileFailure({ error: `${info.name} (type=${typeNames[info.type]}) cannot participate in 'in' comparison.`, position: term.pos });
    const preds: Pred[] = items.map((item) => {
      const lo = this.literal(info, item.lo);
      if (item.hi === null) return relationPred('eq', lo, repr);
      const hi = this.literal(info, item.hi);
      const ge = relationPred('ge', lo, repr);
      const le = relationPred('le', hi, repr);
      return (v: Scalar) => ge(v) && le(v);
    });
    return this.predicate(info, (v) => preds.some((p) => p(v)), 'any', mask);
  }

  /** `tcp.srcport == tcp.dstport`: decided on the tree (the index gives only the protocols' absence). */
  private fieldToField(a: FieldInfo, b: FieldInfo, relation: Relation, quantifier: Quantifier, term: FieldTerm, value: ValueTerm): Node {
    const ra = reprOf(a.type);
    const rb = reprOf(b.type);
    if (ra !== rb || ra === 'none') {
      throw new CompileFailure({ error: `${a.name} and ${b.name} are not of compatible types.`, position: value.pos });
    }
    if (term.mask !== null) throw new CompileFailure({ error: 'A bitwise and cannot be compared with another field.', position: term.pos });
    const pa = gatePlan(a).plan;
    const pb = gatePlan(b).plan;
    const any = quantifier === 'any';
    const plan: IndexPlan = (bd) => {
      const fa = pa(bd);
      const fb = pb(bd);
      return (c, i, row) => (fa(c, i, row) === NO || fb(c, i, row) === NO ? NO : UNKNOWN);
    };
    return leaf({ plan, exact: false }, (occ) => {
      const xs = occ.values(a);
      const ys = occ.values(b);
      if (xs.length === 0 || ys.length === 0) return false;
      for (const y of ys) {
        const p = relationPred(relation, { value: y, prefix: null }, ra);
        for (const x of xs) if (p(x) === any) return any;
      }
      return !any;
    });
  }
}

/** The right-hand side of `matches`: a quoted string that compiles as a regular expression. */
function regexOf(value: ValueTerm): Regex {
  if (value.kind !== 'string') throw new CompileFailure({ error: `"${value.text}" is not a valid regular expression: quote it.`, position: value.pos });
  const re = compileRegex(value.text);
  if (typeof re === 'string') throw new CompileFailure({ error: re, position: value.pos });
  return re;
}

/** A slice needs the packet's bytes: the index can only say the field or protocol is absent. */
function slicePlan(info: FieldInfo): { plan: IndexPlan; exact: boolean } {
  const gate = gatePlan(info).plan;
  return {
    plan: (b) => {
      const g = gate(b);
      return (c, i, row) => (g(c, i, row) === NO ? NO : UNKNOWN);
    },
    exact: false,
  };
}

/** A test: the index answers where it can; otherwise `onTree` looks at the occurrences. */
function leaf(fast: { plan: IndexPlan; exact: boolean }, onTree: (occ: Occurrences) => boolean): Node {
  const plan = fast.plan;
  return {
    exact: fast.exact,
    bind(b: Bound, treeOnly: boolean): BoundNode {
      const f = plan(b);
      if (treeOnly) return { fast: f, tree: (_c, _i, _row, occ) => onTree(occ) };
      return {
        fast: f,
        tree: (c, i, row, occ) => {
          const v = f(c, i, row);
          return v === UNKNOWN ? onTree(occ) : v === YES;
        },
      };
    },
  };
}

function constant(value: boolean): Node {
  const v = value ? YES : NO;
  return {
    exact: true,
    bind: () => ({ fast: () => v, tree: () => value }),
  };
}

function logic(op: 'and' | 'or' | 'xor', l: Node, r: Node): Node {
  return {
    exact: l.exact && r.exact,
    bind(b: Bound, treeOnly: boolean): BoundNode {
      const L = l.bind(b, treeOnly);
      const R = r.bind(b, treeOnly);
      const fast = combine(op, L.fast, R.fast);
      const lt = L.tree;
      const rt = R.tree;
      const tree: BoundNode['tree'] =
        op === 'and'
          ? (c, i, row, occ) => lt(c, i, row, occ) && rt(c, i, row, occ)
          : op === 'or'
            ? (c, i, row, occ) => lt(c, i, row, occ) || rt(c, i, row, occ)
            : (c, i, row, occ) => lt(c, i, row, occ) !== rt(c, i, row, occ);
      return { fast, tree };
    },
  };
}

/** Three-valued (Kleene) logic: NO decides an `and`, YES decides an `or`. */
function combine(op: 'and' | 'or' | 'xor', L: RowFn, R: RowFn): RowFn {
  if (op === 'and') {
    return (c, i, row) => {
      const a = L(c, i, row);
      if (a === NO) return NO;
      const b = R(c, i, row);
      if (b === NO) return NO;
      return a === YES && b === YES ? YES : UNKNOWN;
    };
  }
  if (op === 'or') {
    return (c, i, row) => {
      const a = L(c, i, row);
      if (a === YES) return YES;
      const b = R(c, i, row);
      if (b === YES) return YES;
      return a === NO && b === NO ? NO : UNKNOWN;
    };
  }
  return (c, i, row) => {
    const a = L(c, i, row);
    if (a === UNKNOWN) return UNKNOWN;
    const b = R(c, i, row);
    if (b === UNKNOWN) return UNKNOWN;
    return a === b ? NO : YES;
  };
}

function negate(n: Node): Node {
  const not = (f: RowFn): RowFn => (c, i, row) => {
    const v = f(c, i, row);
    return v === UNKNOWN ? UNKNOWN : v === YES ? NO : YES;
  };
  return {
    exact: n.exact,
    bind(b: Bound, treeOnly: boolean): BoundNode {
      const inner = n.bind(b, treeOnly);
      const t = inner.tree;
      return { fast: not(inner.fast), tree: (c, i, row, occ) => !t(c, i, row, occ) };
    },
  };
}
