import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkSizes, componentsOf, countLines } from "../scripts/check-sizes";

/** The size rule `npm test` enforces (scripts/check-sizes.ts), run on small trees written here. */

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function tree(files: Record<string, string>): string {
  const base = mkdtempSync(join(tmpdir(), "sizes-"));
  dir = base;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return base;
}

const lines = (n: number, line = "const x = 1;") => `${Array.from({ length: n }, () => line).join("\n")}\n`;

/** A component spanning exactly `n` lines, from `export function` to its closing brace. */
function component(name: string, n: number, extra = ""): string {
  const body = Array.from({ length: n - 4 }, (_, i) => `      <p key="${i}">{"}"} line ${i} {"{"}</p>`);
  return `export function ${name}() {\n  return (\n    <div>\n${body.join("\n")}\n${extra}    </div>\n  );\n}\n`;
}

describe("countLines", () => {
  it("counts like wc -l, a last line without newline included", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a\n")).toBe(1);
    expect(countLines("a\nb")).toBe(2);
    expect(countLines(lines(400))).toBe(400);
  });
});

describe("componentsOf", () => {
  it("measures a component from `function` to its closing brace, whatever braces its text holds", () => {
    const text = `import x from "y";\n\n/** Doc. */\n${component("Big", 120)}\nfunction helper() {\n  return 1;\n}\n`;
    // component() yields n - 4 body lines plus 6 of frame: n + 2 lines in all.
    expect(componentsOf("a.tsx", text)).toEqual([{ name: "Big", line: 4, lines: 122 }]);
  });

  it("counts const arrow components and ignores lower-case functions and functions without JSX", () => {
    const text = `export const Card = () => (\n  <div>\n    <p>a</p>\n  </div>\n);\nfunction render() {\n  return <p />;\n}\nexport function Util() {\n  return 1;\n}\n`;
    expect(componentsOf("b.tsx", text)).toEqual([{ name: "Card", line: 1, lines: 5 }]);
  });
});

describe("checkSizes", () => {
  it("accepts 400-line files and 300-line components, refuses one line more", () => {
    const base = tree({
      "src/ok.ts": lines(400),
      "src/long.ts": lines(401),
      "src/fits.tsx": component("Fits", 298),
      "src/over.tsx": component("Over", 299),
      "worker/task.ts": lines(402),
      "other/ignored.ts": lines(900),
    });
    const { files, problems } = checkSizes(base, ["src", "worker"], []);
    expect(files.map((f) => f.path)).toEqual([
      "src/fits.tsx",
      "src/long.ts",
      "src/ok.ts",
      "src/over.tsx",
      "worker/task.ts",
    ]);
    expect(problems).toEqual([
      "src/long.ts: 401 lines (at most 400); split it by responsibility",
      "src/over.tsx:1 component Over: 301 lines (at most 300); split it into smaller components",
      "worker/task.ts: 402 lines (at most 400); split it by responsibility",
    ]);
  });

  it("lets an allow-listed file stay over the limit, and fails once the entry is no longer needed", () => {
    const base = tree({ "src/big.ts": lines(500), "src/split.ts": lines(100) });
    expect(checkSizes(base, ["src"], ["src/big.ts"]).problems).toEqual([]);
    expect(checkSizes(base, ["src"], ["src/big.ts", "src/split.ts", "src/gone.ts"]).problems).toEqual([
      "src/split.ts is 100 lines now, within the limit: remove it from ALLOWED_OVER",
      "src/gone.ts is allowed to be over 400 lines but no longer exists: remove it from ALLOWED_OVER",
    ]);
  });
});
