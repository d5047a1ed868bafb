/** The Traverse mark: a hull crossing a wave. Decorative; the brand name beside it carries the meaning. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={className}>
      <rect width="32" height="32" rx="8" fill="#0b4a72" />
      <path d="M7 17h18l-3 5H10z" fill="#f4ecdc" />
      <path d="M14 10h5v5h-5z" fill="#f4ecdc" />
      <path
        d="M5 25c2.5 0 2.5-1.5 5-1.5s2.5 1.5 5 1.5 2.5-1.5 5-1.5 2.5 1.5 5 1.5"
        fill="none"
        stroke="#e8866e"
        strokeWidth="2"
        strokeLinecap="round"
      />
    </svg>
  );
}
