/**
 * Redis glob-style patterns (KEYS, SCAN MATCH), compiled to a RegExp.
 * Supports `*`, `?`, `[abc]`, `[^a]`, `[a-z]` and backslash escapes, like Redis's stringmatchlen.
 */
export function compileGlob(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") {
      source += "[\\s\\S]*";
    } else if (ch === "?") {
      source += "[\\s\\S]";
    } else if (ch === "\\" && i + 1 < pattern.length) {
      i++;
      source += escapeRegExp(pattern[i]!);
    } else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end === -1) {
        // Redis treats an unterminated class as matching the rest literally; good enough here.
        source += escapeRegExp(pattern.slice(i));
        break;
      }
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\]\\]/g, "\\$&")}]`;
      i = end;
    } else {
      source += escapeRegExp(ch);
    }
  }
  // `u` so that astral characters (emoji in keys) count as one `?`.
  return new RegExp(`^${source}$`, "u");
}

// Only RegExp syntax characters: with the `u` flag, escaping anything else is a SyntaxError.
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
