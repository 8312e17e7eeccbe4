"""The import graph of portal/, read from the source with ast: imports go one way.

Each domain package (portal/applications/, portal/review/...) and each bottom module
(portal/roles.py, portal/db.py...) is one node; portal/__init__.py, the app factory, is the node
`portal`. Imports inside functions count like any other. The rules (README, "Architecture"):
no cycle between nodes, no private name (`_x`) used across nodes, and an import inside a function
only with a `# why:` comment on its line or above the run of imports it opens.
"""

from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WHY = "# why:"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. portal.review.service
    line: int
    target: str  # the imported module, e.g. portal.applications.models
    name: str | None  # the imported name, when not a module
    in_function: bool
    why: bool  # a `# why:` comment on the line or the line above


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def node_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _is_module(dotted: str, root: Path) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.is_dir() or path.with_suffix(".py").exists()


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _function_imports(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(
                id(n) for n in ast.walk(func) if isinstance(n, (ast.Import, ast.ImportFrom))
            )
    return inside


def read_imports(path: Path, root: Path, package: str) -> tuple[list[Import], list[str]]:
    """Every import of one module, and its uses of private attributes of imported modules."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    module = module_name(path, root)
    inside = _function_imports(tree)
    found: list[Import] = []
    aliases: dict[str, str] = {}  # local name -> a module of the project it stands for

    import_lines = {
        line
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for line in range(n.lineno, (n.end_lineno or n.lineno) + 1)
    }

    def why(n: ast.stmt) -> bool:
        """A `# why:` on the import, or on the line above the run of imports it belongs to."""
        above = n.lineno - 1
        while above in import_lines:
            above -= 1
        around = lines[max(above - 1, 0) : n.end_lineno]
        return any(WHY in text for text in around)

    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            pairs = [(a.name, None, a.asname or a.name.split(".")[0], a.asname) for a in n.names]
        elif isinstance(n, ast.ImportFrom):
            base = _resolve(n, module, path.name == "__init__.py")
            pairs = []
            for a in n.names:
                full = f"{base}.{a.name}"
                if _is_module(full, root):
                    pairs.append((full, None, a.asname or a.name, full))
                else:
                    pairs.append((base, a.name, None, None))
        else:
            continue
        for target, name, local, bound in pairs:
            found.append(Import(module, n.lineno, target, name, id(n) in inside, why(n)))
            if local and bound and target.split(".")[0] == package:
                aliases[local] = bound
    private_uses = [
        f"{module}:{n.lineno} uses {aliases[n.value.id]}.{n.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id in aliases
        and _private(n.attr)
        and node_of(aliases[n.value.id]) != node_of(module)
    ]
    return found, private_uses


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def scan(root: Path, package: str = "portal") -> tuple[list[Import], list[str]]:
    """Every import in the package (of any module, ours or not) and private uses across nodes."""
    imports: list[Import] = []
    private_uses: list[str] = []
    for path in sorted((root / package).rglob("*.py")):
        found, uses = read_imports(path, root, package)
        imports += found
        private_uses += uses
    return imports, private_uses


def _ours(i: Import) -> bool:
    return i.target.split(".")[0] == i.module.split(".")[0]


def cycles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan), each sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in filter(_ours, imports):
        source, target = node_of(i.module), node_of(i.target)
        if source != target:
            graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


def explain(group: list[str], imports: list[Import]) -> str:
    members = set(group)
    edges = sorted(
        f"  {i.module}:{i.line} imports {i.target}" + (f".{i.name}" if i.name else "")
        for i in filter(_ours, imports)
        if node_of(i.module) in members
        and node_of(i.target) in members
        and node_of(i.module) != node_of(i.target)
    )
    return " <-> ".join(group) + "\n" + "\n".join(edges)


def private_imports(imports: list[Import]) -> list[str]:
    return [
        f"{i.module}:{i.line} imports {i.target}.{i.name}"
        for i in filter(_ours, imports)
        if (_private(i.name or "") or any(_private(p) for p in i.target.split(".")))
        and node_of(i.module) != node_of(i.target)
    ]


def unexplained_function_imports(imports: list[Import]) -> list[str]:
    return sorted(
        {f"{i.module}:{i.line}" for i in imports if i.in_function and not i.why},
    )


# --- the portal ------------------------------------------------------------------------------


def test_no_cycle_between_packages():
    imports, _ = scan(ROOT)
    found = cycles(imports)
    assert not found, "import cycles:\n" + "\n\n".join(explain(g, imports) for g in found)


def test_no_private_name_crosses_packages():
    imports, private_uses = scan(ROOT)
    assert private_imports(imports) + private_uses == []


def test_every_import_inside_a_function_says_why():
    imports, _ = scan(ROOT)
    assert unexplained_function_imports(imports) == []


# --- the checker itself, on a small made-up package -------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_checker_finds_a_cycle_made_by_an_import_inside_a_function(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/roles.py": "ROLE = 1\n",
            "app/a/__init__.py": "",
            "app/a/service.py": "from app.roles import ROLE\nfrom app.b import models\n",
            "app/b/__init__.py": "",
            "app/b/models.py": "def f():\n    from app.a.service import ROLE\n",
        },
    )
    imports, _ = scan(tmp_path, "app")
    assert cycles(imports) == [["app.a", "app.b"]]
    assert unexplained_function_imports(imports) == ["app.b.models:2"]


def test_the_checker_finds_private_names_taken_across_packages(tmp_path):
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a/__init__.py": "",
            "app/a/service.py": "def _load(): ...\ndef _own(): ...\n",
            "app/a/views.py": "from app.a.service import _own\n",
            "app/b/__init__.py": "",
            "app/b/views.py": (
                "from app.a.service import _load\n"
                "from app.a import service\n"
                "def f():\n"
                "    # why: shows that a marked run of imports is accepted\n"
                "    import json\n"
                "    import csv\n"
                "    return service._own(), json, csv\n"
            ),
        },
    )
    imports, private_uses = scan(tmp_path, "app")
    assert private_imports(imports) == ["app.b.views:1 imports app.a.service._load"]
    assert private_uses == ["app.b.views:7 uses app.a.service._own"]
    assert unexplained_function_imports(imports) == []
    assert cycles(imports) == []
