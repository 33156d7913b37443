"""The writer's fast path: a writer plan compiled into straight Python source, once per column.

The plan interpreter (:class:`chorus_core.formats._engine._Writer`) walks every node of the plan
for every invoice.  This module turns the same plan into one generated function: each plain
value becomes an attribute access and a string append, each group an ``if`` on its model object,
each repeating group a ``for`` loop.  What is rare or needs judgement — a hook, a placeholder,
an element the XSD requires but the model leaves empty, a repeating group without instances —
is handed back to the interpreter for that one node, with the same context, so both paths write
the same bytes (a property test compares them).

>>> from chorus_core.formats import ubl
>>> from chorus_core.examples import sample_invoice
>>> fast = ubl.SYNTAX.write(sample_invoice()).data
>>> slow = ubl.SYNTAX.write(sample_invoice(), interpret=True).data
>>> fast == slow
True
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from ..xml.escape import escape_attr, escape_text
from ._engine import _CURRENCY_KINDS, _NUMBER_KINDS, _TEXT_KINDS, _under, fixed_xml
from ._table import Term

__all__ = ["compile_writer"]



def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _date102(value: Any) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


class _Gen:
    """Source generator for one plan."""

    def __init__(self, syntax: Any, root: Term) -> None:
        self.syntax = syntax
        self.root = root
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.count = 0

    def const(self, value: Any) -> str:
        name = f"K{len(self.consts)}"
        self.consts[name] = value
        return name

    def var(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def emit(self, line: str, depth: int) -> None:
        self.lines.append("    " * depth + line)

    # -- expressions

    def expr(self, term: Term, env: dict[Term, str]) -> str | None:
        """An expression for ``term``'s model object, ``None`` when it crosses an unopened
        repeating term (the node is then handed to the interpreter)."""
        found = env.get(term)
        if found is not None:
            return found
        if term.parent is None or term.repeats:
            return None
        parent = self.expr(term.parent, env)
        if parent is None:
            return None
        return f"(None if {parent} is None else {parent}.{term.attribute})"

    def ctx(self, env: dict[Term, str], scopes: list[Term]) -> str:
        """A context dict for the interpreter (the root and the open repeating instances)."""
        items = [f"{self.const(self.root)}: inv"]
        items += [f"{self.const(term)}: {env[term]}" for term in scopes]
        return "{" + ", ".join(items) + "}"

    def fmt(self, kind: str, value: str) -> str:
        if kind in _NUMBER_KINDS:
            return f"format({value}, 'f')"
        if kind == "date":
            return f"_date102({value})" if self.syntax.date == "102" else f"{value}.isoformat()"
        if kind == "binary":
            return f"_b64({value})"
        return value

    # -- nodes

    @staticmethod
    def delegated(node: Any) -> bool:
        """Nodes the interpreter writes: hooks, placeholders, first-only attributes."""
        leaves = [*node.text, *(leaf for group in node.attrs.values() for leaf in group)]
        return (any(leaf.hook is not None or leaf.default is not None for leaf in leaves)
                or bool(node.once_attrs) or len(node.text) > 1)

    def delegate(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
                 forced: bool = False) -> None:
        name = self.const(node)
        method = "emit" if node.scope is not None else "element"
        value = self.var("s")
        self.emit(f"{value} = W.{method}({name}, {self.ctx(env, scopes)}, {forced})", depth)
        self.emit(f"if {value} is not None: out_append({value})", depth)

    def children(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
                 idx: dict[Term, str]) -> list[tuple[Any, str, str | None]]:
        """Code for the children of ``node``; returns (child, position var, written var) of
        the required and fixed children, filled in when ``node`` is written."""
        fills: list[tuple[Any, str, str | None]] = []
        for child in node.children:
            if child.fixed:
                position = self.var("p")
                self.emit(f"{position} = len(out)", depth)
                fills.append((child, position, None))
                continue
            if child.required:
                position = self.var("p")
                flag = self.var("f")
                self.emit(f"{position} = len(out)", depth)
                self.node(child, env, scopes, depth, idx)
                self.emit(f"{flag} = len(out) > {position}", depth)
                fills.append((child, position, flag))
                continue
            self.node(child, env, scopes, depth, idx)
        return fills

    def fill(self, fills: list[tuple[Any, str, str | None]], env: dict[Term, str],
             scopes: list[Term], depth: int) -> None:
        """Insert the fixed children and the required ones left empty (interpreter, forced)."""
        for child, position, flag in reversed(fills):
            if flag is None:
                self.emit(f"out.insert({position}, {self.const(fixed_xml(child))})", depth)
                continue
            value = self.var("s")
            self.emit(f"if not {flag}:", depth)
            self.emit(f"{value} = W.emit({self.const(child)}, {self.ctx(env, scopes)}, True)",
                      depth + 1)
            self.emit(f"if {value} is not None: out.insert({position}, {value})", depth + 1)

    def guard_once(self, node: Any, scopes: list[Term], idx: dict[Term, str]) -> str | None:
        if node.once is None:
            return None
        conditions = [f"{idx[s]} == 0" for s in scopes if not _under(node.once, s)]
        return " and ".join(conditions) or None

    def node(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
             idx: dict[Term, str]) -> None:
        mark = len(self.lines)
        self._node(node, env, scopes, depth, idx)
        last = self.lines[-1] if len(self.lines) > mark else ""
        if last.endswith(":"):  # a guard whose body wrote nothing
            self.emit("pass", (len(last) - len(last.lstrip())) // 4 + 1)

    def _node(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
              idx: dict[Term, str]) -> None:
        guard = self.guard_once(node, scopes, idx)
        if guard is not None:
            self.emit(f"if {guard}:", depth)
            depth += 1
        if node.scope is not None:
            self.scope(node, env, scopes, depth, idx)
            return
        if self.delegated(node):
            self.delegate(node, env, scopes, depth)
            return
        gate = node.gate
        inner = env
        if gate is not None and gate not in env and not gate.repeats:
            expression = self.expr(gate, env)
            if expression is None:
                self.delegate(node, env, scopes, depth)
                return
            variable = self.var("g")
            self.emit(f"{variable} = {expression}", depth)
            self.emit(f"if {variable} is not None:", depth)
            depth += 1
            inner = {**env, gate: variable}
        elif gate is not None and gate in env:
            self.emit(f"if {env[gate]} is not None:", depth)
            depth += 1
        if node.simple:
            self.simple(node, inner, scopes, depth)
            return
        self.element(node, inner, scopes, depth, idx, forced=False)

    def simple(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int) -> None:
        leaf = node.text[0]
        if leaf.alt:
            return  # alternatives are all read; the first is written
        owner = self.expr(leaf.term.parent, env)
        if owner is None:
            self.delegate(node, env, scopes, depth)
            return
        value = self.var("v")
        holder = self.var("o")
        self.emit(f"{holder} = {owner}", depth)
        self.emit(f"{value} = None if {holder} is None else {holder}.{leaf.term.attribute}",
                  depth)
        self.emit(f"if {value} is not None:", depth)
        self.emit(f"written_add((id({holder}), {leaf.term.attribute!r}))", depth + 1)
        start = f"<{node.qname}"
        extra = ""
        if leaf.kind in _CURRENCY_KINDS and self.syntax.amount_currency:
            extra = " + cur"
        elif leaf.kind == "date" and self.syntax.date == "102":
            start += ' format="102"'
        self.emit(f"out_append({start!r}{extra} + '>' + esc({self.fmt(leaf.kind, value)})"
                  f" + {f'</{node.qname}>'!r})", depth + 1)

    def element(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
                idx: dict[Term, str], forced: bool) -> None:
        leaves = [*node.text, *(leaf for group in node.attrs.values() for leaf in group)]
        if any(self.expr(leaf.term.parent, env) is None for leaf in leaves):
            if forced:
                self.delegate_inline(node, env, scopes, depth, True)
            else:
                self.delegate(node, env, scopes, depth)
            return
        start = self.var("i")
        self.emit(f"{start} = len(out)", depth)
        self.emit("out_append(None)", depth)
        text = self.var("t")
        attrs = self.var("a")
        self.emit(f"{text} = None", depth)
        self.emit(f"{attrs} = ''", depth)
        if node.text:
            leaf = node.text[0]
            owner = self.expr(leaf.term.parent, env)
            if owner is not None and not leaf.alt:
                holder = self.var("o")
                self.emit(f"{holder} = {owner}", depth)
                value = self.var("v")
                self.emit(f"{value} = None if {holder} is None else "
                          f"{holder}.{leaf.term.attribute}", depth)
                self.emit(f"if {value} is not None:", depth)
                self.emit(f"written_add((id({holder}), {leaf.term.attribute!r}))", depth + 1)
                self.emit(f"{text} = esc({self.fmt(leaf.kind, value)})", depth + 1)
                if leaf.kind in _CURRENCY_KINDS and self.syntax.amount_currency:
                    self.emit(f"{attrs} = cur", depth + 1)
                elif leaf.kind == "date" and self.syntax.date == "102":
                    self.emit(f"{attrs} = ' format=\"102\"'", depth + 1)
        attr_depth = depth
        if node.text and node.text[0].kind not in _TEXT_KINDS and node.attrs:
            # a number, date or binary without its value leaves the element out, attributes
            # unwritten (and reported): they are read only beside a value
            self.emit(f"if {text} is not None:", depth)
            self.emit("pass", depth + 1)
            attr_depth = depth + 1
        for name, leaves in node.attrs.items():
            done = self.var("d")
            self.emit(f"{done} = False", attr_depth)
            for leaf in leaves:
                if leaf.alt:
                    continue
                owner = self.expr(leaf.term.parent, env)
                if owner is None:
                    continue
                holder = self.var("o")
                value = self.var("v")
                self.emit(f"if not {done}:", attr_depth)
                self.emit(f"{holder} = {owner}", attr_depth + 1)
                self.emit(f"{value} = None if {holder} is None else "
                          f"{holder}.{leaf.term.attribute}", attr_depth + 1)
                self.emit(f"if {value} is not None:", attr_depth + 1)
                self.emit(f"written_add((id({holder}), {leaf.term.attribute!r}))",
                          attr_depth + 2)
                self.emit(f"{attrs} += ' {name}=\"' + esca({self.fmt(leaf.kind, value)})"
                          " + '\"'", attr_depth + 2)
                self.emit(f"{done} = True", attr_depth + 2)
        fills = self.children(node, env, scopes, depth, idx)
        has = f"({text} is not None or {attrs} or len(out) > {start} + 1)"
        fixed_attrs = "".join(f' {k}="{escape_attr(v)}"' for k, v in node.fixed_attrs.items())
        if node.text:
            # a value missing beside attributes or children, or required: the interpreter
            # decides (written empty, left out, or reported missing)
            self.emit(f"if {text} is None and ({forced} or {has}):", depth)
            self.emit(f"del out[{start}:]", depth + 1)
            self.delegate_inline(node, env, scopes, depth + 1, forced)
            self.emit(f"elif {text} is not None or {attrs} or len(out) > {start} + 1:", depth)
        else:
            self.emit(f"if {'True' if forced else has}:", depth)
        body = depth + 1
        self.fill(fills, env, scopes, body)
        self.emit(f"out[{start}] = {('<' + node.qname)!r} + {attrs} + {fixed_attrs!r} + '>' "
                  f"+ ({text} or '')", body)
        self.emit(f"out_append({('</' + node.qname + '>')!r})", body)
        self.emit("else:", depth)
        self.emit("out.pop()", depth + 1)

    def delegate_inline(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
                        forced: bool) -> None:
        value = self.var("s")
        self.emit(f"{value} = W.element({self.const(node)}, {self.ctx(env, scopes)}, "
                  f"{forced})", depth)
        self.emit(f"if {value} is not None: out_append({value})", depth)

    def scope(self, node: Any, env: dict[Term, str], scopes: list[Term], depth: int,
              idx: dict[Term, str]) -> None:
        term = node.scope
        chooser = node.text[0].hook if node.text else None
        owner = self.expr(term.parent, env)
        if owner is None or chooser is not None or self.delegated(node):
            self.delegate(node, env, scopes, depth)
            return
        items = self.var("q")
        self.emit(f"{items} = {owner}", depth)
        self.emit(f"{items} = () if {items} is None else {items}.{term.attribute}", depth)
        self.emit(f"if {items}:", depth)
        item = self.var("x")
        index = self.var("n")
        self.emit(f"for {index}, {item} in enumerate({items}):", depth + 1)
        if node.single:
            self.emit(f"if {index}: break", depth + 2)
        term_const = self.const(term)
        self.emit(f"stack_append(({term_const}, {index}))", depth + 2)
        inner_env = {**env, term: item}
        inner_idx = {**idx, term: index}
        self.element(node, inner_env, [*scopes, term], depth + 2, inner_idx, forced=True)
        self.emit("stack_pop()", depth + 2)
        self.emit("else:", depth)
        self.delegate(node, env, scopes, depth + 1)


def compile_writer(syntax: Any, plan: Any, root: Term) -> Callable[[Any], str]:
    """Compile ``plan`` (the writer plan of one column) into ``function(writer) -> body``."""
    gen = _Gen(syntax, root)
    gen.emit("def write(W):", 0)
    gen.emit("inv = W.invoice", 1)
    gen.emit("out = []", 1)
    gen.emit("out_append = out.append", 1)
    gen.emit("written_add = W.written.add", 1)
    gen.emit("stack_append = W.stack.append", 1)
    gen.emit("stack_pop = W.stack.pop", 1)
    gen.emit("code = inv.invoice_currency_code", 1)
    gen.emit("cur = '' if code is None else ' currencyID=\"' + esca(code) + '\"'", 1)
    env = {root: "inv"}
    fills = gen.children(plan, env, [], 1, {})
    gen.fill(fills, env, [], 1)
    gen.emit("return ''.join(out)", 1)
    source = "\n".join(gen.lines)
    namespace: dict[str, Any] = {
        "esc": escape_text, "esca": escape_attr, "_b64": _b64, "_date102": _date102,
        **gen.consts,
    }
    exec(compile(source, f"<chorus_core writer {syntax.name}>", "exec"), namespace)
    function: Callable[[Any], str] = namespace["write"]
    function.source = source  # type: ignore[attr-defined]
    return function

