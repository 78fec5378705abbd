// Previous/next buttons over a keyset-paged list: `cursors` is the stack of page
// starts (the first is the list's start), so "back" pops and "next" pushes the
// cursor taken from the last row shown. Never `skip`: long lists stay fast.
export function KeysetPager<C>({
  label,
  cursors,
  setCursors,
  next,
  backText,
  nextText,
}: {
  label: string;
  cursors: C[];
  setCursors: (c: C[]) => void;
  /** The next page's cursor, or null on the last page. */
  next: C | null;
  backText: string;
  nextText: string;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
        ← {backText}
      </button>
      <span>Page {cursors.length}</span>
      <button
        type="button"
        disabled={next === null}
        onClick={() => next !== null && setCursors([...cursors, next])}
      >
        {nextText} →
      </button>
    </nav>
  );
}
