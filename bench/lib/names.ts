/** A distinct, letters-only surname per index (names on travel documents have no digits). */
export function surname(i: number): string {
  let s = "";
  let n = i + 1;
  while (n > 0) {
    n--;
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return `Trav${s}`;
}
