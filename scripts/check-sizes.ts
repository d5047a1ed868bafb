import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

/**
 * `npm test`'s size rule: no source file over 400 lines and no React component over 300, in `src/` and
 * `worker/`. A component is a top-level function (declaration, or a `const` arrow/function) whose name starts
 * with a capital letter and whose body contains JSX; it is measured from its `function`/`const` to its closing
 * brace. Parsed with the TypeScript compiler, so braces inside strings, comments and JSX text never mislead it.
 *
 * `ALLOWED_OVER` names server files still over the file limit while they are being split; an entry that is
 * no longer over (or no longer exists) fails the check too, so the list can only shrink.
 */

export const MAX_FILE_LINES = 400;
export const MAX_COMPONENT_LINES = 300;
export const ROOTS = ["src", "worker"];

export const ALLOWED_OVER: readonly string[] = [];

export interface ComponentSize {
  name: string;
  line: number;
  lines: number;
}

export interface FileSize {
  path: string;
  lines: number;
  components: ComponentSize[];
}

/** Lines as `wc -l` counts them (a final line without a newline still counts). */
export function countLines(text: string): number {
  if (text === "") return 0;
  const n = text.split("\n").length;
  return text.endsWith("\n") ? n - 1 : n;
}

function containsJsx(node: ts.Node): boolean {
  if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) return true;
  return ts.forEachChild(node, containsJsx) ?? false;
}

const isComponentName = (name: string) => /^[A-Z]/.test(name);

/** The top-level React components of a file, with their length in lines. */
export function componentsOf(path: string, text: string): ComponentSize[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: ComponentSize[] = [];
  const add = (name: string, node: ts.Node, body: ts.Node | undefined) => {
    if (!body || !isComponentName(name) || !containsJsx(body)) return;
    const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
    const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
    found.push({ name, line: start + 1, lines: end - start + 1 });
  };
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) add(st.name.text, st, st.body);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          add(d.name.text, st.declarationList.declarations.length === 1 ? st : d, init.body);
      }
    }
  }
  return found;
}

export function measure(path: string, text: string): FileSize {
  return {
    path,
    lines: countLines(text),
    components: /\.tsx$/.test(path) ? componentsOf(path, text) : [],
  };
}

function sourceFiles(root: string, dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(root, full);
    return /\.(ts|tsx)$/.test(e.name) ? [relative(root, full).split(sep).join("/")] : [];
  });
}

export interface Report {
  files: FileSize[];
  problems: string[];
}

/** Measures every .ts/.tsx file under `roots` (relative to `base`) and lists what breaks the rule. */
export function checkSizes(
  base: string,
  roots: readonly string[] = ROOTS,
  allowedOver: readonly string[] = ALLOWED_OVER,
): Report {
  const files = roots
    .flatMap((r) => sourceFiles(base, join(base, r)))
    .sort()
    .map((p) => measure(p, readFileSync(join(base, p), "utf8")));
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const f of files) {
    if (f.lines > MAX_FILE_LINES && !allowedOver.includes(f.path))
      problems.push(`${f.path}: ${f.lines} lines (at most ${MAX_FILE_LINES}); split it by responsibility`);
    for (const c of f.components)
      if (c.lines > MAX_COMPONENT_LINES)
        problems.push(
          `${f.path}:${c.line} component ${c.name}: ${c.lines} lines (at most ${MAX_COMPONENT_LINES}); split it into smaller components`,
        );
  }
  for (const path of allowedOver) {
    const f = byPath.get(path);
    if (!f)
      problems.push(
        `${path} is allowed to be over ${MAX_FILE_LINES} lines but no longer exists: remove it from ALLOWED_OVER`,
      );
    else if (f.lines <= MAX_FILE_LINES)
      problems.push(`${path} is ${f.lines} lines now, within the limit: remove it from ALLOWED_OVER`);
  }
  return { files, problems };
}

function main() {
  const { files, problems } = checkSizes(process.cwd());
  const largest = [...files].sort((a, b) => b.lines - a.lines).slice(0, 5);
  const components = files
    .flatMap((f) => f.components.map((c) => ({ ...c, path: f.path })))
    .sort((a, b) => b.lines - a.lines);
  console.log(
    `${files.length} files, ${components.length} components in ${ROOTS.join(", ")}; limits ${MAX_FILE_LINES} lines a file, ${MAX_COMPONENT_LINES} a component`,
  );
  console.log(`largest files: ${largest.map((f) => `${f.path} ${f.lines}`).join(", ")}`);
  console.log(
    `largest components: ${components
      .slice(0, 5)
      .map((c) => `${c.name} (${c.path}) ${c.lines}`)
      .join(", ")}`,
  );
  if (ALLOWED_OVER.length) console.log(`allowed over the file limit for now: ${ALLOWED_OVER.join(", ")}`);
  for (const p of problems) console.error(`✗ ${p}`);
  console.log(problems.length ? `${problems.length} size problem(s)` : "sizes ok");
  process.exit(problems.length ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
