// Page chrome: skip link, banner with indexing status and "as of", main, footer.
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { Link } from './Link.tsx';
import { IndexingStatus } from './IndexingStatus.tsx';
import { AsOfControl } from './AsOfControl.tsx';
import { useApi } from '../app/api.tsx';

export function Layout({ children }: { children: ReactNode }) {
  const { endpoint } = useApi();
  const [path] = useLocation();
  const shown = useRef(path);
  // A new page starts at its top, and keyboard and screen-reader users land on
  // its content rather than where the link was (the router does neither). Only
  // when the path really changed: a full page load (and React's development
  // double effects) must leave focus where the browser put it.
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    window.scrollTo(0, 0);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <div className="brand">
            <Link href="/" className="brand-link">
              <span className="brand-mark" aria-hidden="true">
                ◧
              </span>{' '}
              GGN Explorer
            </Link>
            <span className="brand-sub">Public record of area governance</span>
          </div>
          <nav aria-label="Main">
            <ul>
              <li>
                <Link href="/">Areas</Link>
              </li>
            </ul>
          </nav>
        </div>
        <div className="site-header-tools">
          <IndexingStatus />
          <AsOfControl />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Data from the public GraphQL API at <code>{endpoint}</code>. Every figure on these pages can be
          re-queried there. Times are UTC; amounts in whole tokens (18 decimals).
        </p>
      </footer>
    </>
  );
}

/** Page title block: sets the document title too. */
export function PageTitle({
  title,
  sub,
  children,
}: {
  title: string;
  sub?: ReactNode;
  children?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · GGN Explorer`;
  }, [title]);
  return (
    <div className="page-title">
      <h1>{title}</h1>
      {sub && <p className="page-sub">{sub}</p>}
      {children}
    </div>
  );
}

export function Breadcrumbs({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {items.map((it, i) => (
          <li key={i}>
            {it.href ? <Link href={it.href}>{it.label}</Link> : <span aria-current="page">{it.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}
