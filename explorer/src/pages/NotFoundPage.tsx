import { PageTitle } from '../components/Layout.tsx';
import { Link } from '../components/Link.tsx';

export default function NotFoundPage() {
  return (
    <>
      <PageTitle title="Page not found" />
      <p>
        There is no page at this address. <Link href="/">See all areas</Link>.
      </p>
    </>
  );
}
